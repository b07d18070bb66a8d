using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Security;

namespace OpenTicketAI.Api.Health;

public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddModelHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ModelsHealthCheck>("models", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the default model serves (503 until then). Anyone gets the
    /// status; the per-model details (versions, load errors with file paths) only a caller with a valid key, or every caller
    /// where keys are not required.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Probes carry no key and must not be throttled: anonymous and outside the rate limit.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var details = context.User.Identity?.IsAuthenticated == true
            || !context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireApiKeys;
        var body = new HealthResponse(
            report.Status,
            report.TotalDuration.TotalMilliseconds,
            details ? report.Entries.Select(e => new HealthEntry(e.Key, e.Value.Status, e.Value.Description, e.Value.Data)).ToList() : null);
        return context.Response.WriteAsJsonAsync(body, json, "application/json", context.RequestAborted);
    }
}

/// <param name="Checks">Null for a caller without a key while keys are required.</param>
public sealed record HealthResponse(HealthStatus Status, double DurationMs, IReadOnlyList<HealthEntry>? Checks);

public sealed record HealthEntry(string Name, HealthStatus Status, string? Description, IReadOnlyDictionary<string, object> Data);
