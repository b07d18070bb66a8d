using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTicketAI.Api.Models;

namespace OpenTicketAI.Api.Health;

/// <summary>Ready once the default model serves; degraded while another model is not servable or its last reload failed.</summary>
public sealed class ModelsHealthCheck(ModelStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var models = store.GetStatuses();
        var data = models.ToDictionary(m => m.Name, m => (object)new ModelHealth(m.State, m.Manifest?.Version, m.LoadedAt, m.LastError?.Message));
        var defaultModel = models.FirstOrDefault(m => m.IsDefault);

        HealthCheckResult result;
        if (defaultModel is not { State: ModelState.Ready })
        {
            var reason = defaultModel is null
                ? $"Default model '{store.DefaultModel}' not found in {store.ModelsPath}."
                : $"Default model '{store.DefaultModel}' is {defaultModel.State}{(defaultModel.LastError is { } e ? $": {e.Message}" : ".")}";
            result = HealthCheckResult.Unhealthy(reason, data: data);
        }
        else if (models.Any(m => m.State != ModelState.Ready || m.LastError is not null))
        {
            result = HealthCheckResult.Degraded("The default model serves; another model failed to load.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{models.Count} model(s) serving.", data);
        }

        return Task.FromResult(result);
    }
}

public sealed record ModelHealth(ModelState Status, string? Version, DateTimeOffset? LoadedAt, string? LastError);
