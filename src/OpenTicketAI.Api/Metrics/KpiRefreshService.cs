using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Storage;

namespace OpenTicketAI.Api.Metrics;

/// <summary>
/// Recomputes the KPI report of the trailing window every <see cref="MetricsOptions.KpiRefreshInterval"/> into
/// <see cref="KpiSnapshot"/>. A failed refresh keeps the previous figures. Does nothing when no feedback store is registered.
/// </summary>
public sealed partial class KpiRefreshService(
    IServiceProvider services,
    KpiSnapshot snapshot,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<KpiRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IFeedbackStore>() is not { } store)
        {
            LogNoStore(logger);
            return;
        }

        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.KpiRefreshInterval, time);
        do
        {
            await RefreshAsync(store, settings.KpiWindow, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync(IFeedbackStore store, TimeSpan window, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        try
        {
            snapshot.Update(await store.GetKpisAsync(new KpiQuery(to - window, to, Model: null, Bucket: window), cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No feedback store is registered; the KPI gauges of /metrics stay empty")]
    private static partial void LogNoStore(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the KPI gauges failed; /metrics keeps the previous figures")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
