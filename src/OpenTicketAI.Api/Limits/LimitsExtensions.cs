using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Limits;

public static class LimitsExtensions
{
    /// <summary>Per-client rate limit (429), request timeout (504) and the model's concurrency limit (503), section <c>Limits</c>.</summary>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => Validate(o.RateLimit), "Limits:RateLimit: TokenLimit must be at least 1 and TokensPerPeriod between 1 and TokenLimit.")
            .ValidateOnStart();
        services.AddSingleton<ModelConcurrencyLimiter>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((rateLimiter, limits) =>
        {
            var settings = limits.Value.RateLimit;
            rateLimiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !settings.Enabled
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.TokenLimit,
                        TokensPerPeriod = settings.TokensPerPeriod,
                        ReplenishmentPeriod = settings.ReplenishmentPeriod,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            rateLimiter.OnRejected = (context, _) => WriteRateLimitedAsync(context, settings);
        });

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<LimitsOptions>>((timeouts, limits) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => WriteProblemAsync(context, new ProblemDetails
                {
                    Status = StatusCodes.Status504GatewayTimeout,
                    Title = "The request timed out.",
                    Detail = $"The request did not finish within {limits.Value.RequestTimeout} (Limits:RequestTimeout).",
                }),
            });
        return services;
    }

    /// <summary>The rate limiter runs after authentication, so a valid key is its own partition.</summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>Prediction endpoints wait for a permit of <see cref="ModelConcurrencyLimiter"/>.</summary>
    public static TBuilder WithModelConcurrencyLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var filter = ActivatorUtilities.CreateInstance<ModelConcurrencyFilter>(context.ApplicationServices);
            return invocation => filter.InvokeAsync(invocation, next);
        });

    /// <summary>The key's client name once authenticated; the remote address otherwise.</summary>
    public static string PartitionKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } client }
            ? "client:" + client
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    public static string Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static bool Validate(RateLimitOptions options) => options.TokensPerPeriod <= options.TokenLimit;

    private static async ValueTask WriteRateLimitedAsync(OnRejectedContext context, RateLimitOptions settings)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.ReplenishmentPeriod;
        context.HttpContext.Response.Headers.RetryAfter = Seconds(retryAfter);
        await WriteProblemAsync(context.HttpContext, new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"This client may send {settings.TokensPerPeriod} requests per {settings.ReplenishmentPeriod} with bursts of {settings.TokenLimit} "
                + $"(Limits:RateLimit); retry after {Seconds(retryAfter)} s.",
        });
    }

    private static Task WriteProblemAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
