using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Documentation;

public static class DocumentationExtensions
{
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Open Ticket AI",
                Version = "v1",
                Description = "Queue, priority, language, sentiment and tag predictions for help-desk tickets from one multi-head ONNX model. "
                    + "Errors are application/problem+json; validation errors name the field in `errors`.",
            });
            options.SchemaFilter<ExampleSchemaFilter>();
            options.OperationFilter<ProblemExamplesOperationFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    /// <summary>The OpenAPI document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>, unless <c>OpenTicketAI:EnableSwagger</c> is false.</summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OpenTicketAiOptions>>().Value.EnableSwagger)
        {
            return app;
        }

        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Open Ticket AI");
        return app;
    }
}
