using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Limits;

/// <summary>Bounds the requests inside the model at once, with a bounded first-come queue in front.</summary>
public sealed class ModelConcurrencyLimiter(IOptions<LimitsOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.ConcurrentPredictions,
        QueueLimit = options.Value.MaxQueuedPredictions,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public RateLimiterStatistics? GetStatistics() => _limiter.GetStatistics();

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Runs the endpoint only with a permit of <see cref="ModelConcurrencyLimiter"/>; answers 503 with Retry-After when the queue is full.</summary>
public sealed class ModelConcurrencyFilter(ModelConcurrencyLimiter limiter, IOptions<LimitsOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var lease = await limiter.AcquireAsync(context.HttpContext.RequestAborted);
        if (!lease.IsAcquired)
        {
            var retryAfter = options.Value.SaturatedRetryAfter;
            context.HttpContext.Response.Headers.RetryAfter = LimitsExtensions.Seconds(retryAfter);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The model is saturated.",
                detail: $"{options.Value.ConcurrentPredictions} predictions are running and {options.Value.MaxQueuedPredictions} are waiting "
                    + $"(Limits:MaxConcurrentPredictions, Limits:MaxQueuedPredictions); retry after {LimitsExtensions.Seconds(retryAfter)} s.");
        }

        return await next(context);
    }
}
