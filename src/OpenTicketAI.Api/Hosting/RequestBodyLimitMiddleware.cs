using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Hosting;

/// <summary>
/// Enforces <see cref="RequestBodyOptions.MaxRequestBodyBytes"/> on every server: Kestrel's own limit where the server has one,
/// and a counting stream where it has none (e.g. the in-memory test server). A declared oversize body is refused before it is read.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestBodyOptions> options, IProblemDetailsService problemDetails)
{
    public static string Describe(long limit) => $"The request body exceeds the limit of {limit} bytes (Predict:MaxRequestBodyBytes; OpenTicketAI:MaxTrainingUploadBytes for training uploads).";

    public async Task InvokeAsync(HttpContext context)
    {
        // An endpoint that takes files (training uploads) declares its own, larger limit.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Detail = Describe(limit),
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        else if (context.Request.ContentLength is null)
        {
            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);
        }

        await next(context);
    }
}
