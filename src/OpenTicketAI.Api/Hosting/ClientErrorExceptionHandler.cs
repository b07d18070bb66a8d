using Microsoft.AspNetCore.Diagnostics;

namespace OpenTicketAI.Api.Hosting;

/// <summary>
/// Turns the framework's <see cref="BadHttpRequestException"/> (unreadable JSON, wrong content type, oversize body, unparsable
/// query) and an unknown request charset into problem details that name the field, instead of a 500.
/// </summary>
public sealed partial class ClientErrorExceptionHandler(IProblemDetailsService problemDetails, ILogger<ClientErrorExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            LogAborted(logger, httpContext.Request.Path);
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException badRequest => BadRequestProblems.Describe(badRequest, httpContext.Request, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint),
            InvalidOperationException { InnerException: ArgumentException } => BadRequestProblems.UnsupportedCharset(httpContext.Request),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        var status = problem.Status ?? StatusCodes.Status400BadRequest;
        LogRejected(logger, status, httpContext.Request.Path, problem.Title);
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected request to {Path} with {StatusCode} {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, PathString path, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client aborted the request to {Path}")]
    private static partial void LogAborted(ILogger logger, PathString path);
}
