using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Polling;

/// <summary>
/// Runs a polling loop per enabled polling instance: a pass at start-up, then one per <c>Polling:Interval</c>. With several
/// replicas only the leader of an instance polls it (a PostgreSQL advisory lock); the others wait and take over when the
/// leader's connection ends. Even two passes at once would process no ticket twice (the delivery key is unique).
/// </summary>
public sealed partial class PollingWorker(TicketPoller poller, IntegrationDatabase database, IOptions<IntegrationsOptions> options, ILogger<PollingWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunPollers)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(poller.PollingInstances().Select(p => LeadAsync(p.Connector.HelpDesk, p.Instance.Name, p.Instance.Polling.Interval, stoppingToken)));
    }

    private async Task LeadAsync(string helpDesk, string instance, TimeSpan interval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leadership = await database.Database.TryAcquireLeadershipAsync($"poll:{helpDesk}:{instance}".ToLowerInvariant(), stoppingToken);
                if (leadership is not null)
                {
                    LogLeading(logger, helpDesk, instance);
                    using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                    await LoopAsync(helpDesk, instance, interval, leading.Token);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopError(logger, helpDesk, instance, ex);
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task LoopAsync(string helpDesk, string instance, TimeSpan interval, CancellationToken leading)
    {
        while (!leading.IsCancellationRequested)
        {
            try
            {
                await poller.PollAsync(helpDesk, instance, leading);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database error must not end polling for good: log and try again after the interval.
                LogLoopError(logger, helpDesk, instance, ex);
            }

            try
            {
                await Task.Delay(interval, leading);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance}: this replica leads polling")]
    private static partial void LogLeading(ILogger logger, string helpDesk, string instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "{HelpDesk} {Instance}: polling pass failed; retrying after the interval")]
    private static partial void LogLoopError(ILogger logger, string helpDesk, string instance, Exception exception);
}
