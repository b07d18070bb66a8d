using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Hosting;

public static class ErrorHandlingExtensions
{
    /// <summary>Every error response is <c>application/problem+json</c>; client mistakes never become a 500.</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status404NotFound => $"No endpoint matches {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}.",
                StatusCodes.Status415UnsupportedMediaType => BadRequestProblems.UnsupportedMediaType(context.HttpContext.Request),
                StatusCodes.Status413PayloadTooLarge => RequestBodyLimitMiddleware.Describe(
                    context.HttpContext.RequestServices.GetRequiredService<IOptions<RequestBodyOptions>>().Value.MaxRequestBodyBytes),
                _ => null,
            };
        });
        services.AddExceptionHandler<ClientErrorExceptionHandler>();
        services.AddExceptionHandler<ServerErrorExceptionHandler>();
        return services;
    }

    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }
}
