using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Security;

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
            options.AddSecurityDefinition(SecurityOperationFilter.BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key from 'otai apikey new', sent as 'Authorization: Bearer <key>'.",
            });
            options.AddSecurityDefinition(SecurityOperationFilter.HeaderScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "The same API key, sent as 'X-Api-Key: <key>'.",
            });
            options.OperationFilter<SecurityOperationFilter>();
            options.DocumentFilter<TagOrderDocumentFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    /// <summary>
    /// The OpenAPI document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>: in Development, or wherever
    /// <c>OpenTicketAI:EnableSwagger</c> is true (elsewhere they are not mapped). Both are public: they run before authentication
    /// and describe the API, not its data.
    /// </summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        if (!(app.Services.GetRequiredService<IOptions<OpenTicketAiOptions>>().Value.EnableSwagger ?? app.Environment.IsDevelopment()))
        {
            return app;
        }

        app.UseSwagger();
        app.UseSwaggerUI(options => options.DocumentTitle = "Open Ticket AI");
        return app;
    }
}
