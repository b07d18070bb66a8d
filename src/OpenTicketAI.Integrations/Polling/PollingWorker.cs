using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Integrations.Polling;

/// <summary>Runs a polling loop per enabled polling instance: a pass at start-up, then one per <c>Polling:Interval</c>.</summary>
public sealed partial class PollingWorker(TicketPoller poller, IOptions<IntegrationsOptions> options, ILogger<PollingWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunPollers)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(poller.PollingInstances().Select(p => LoopAsync(p.Connector.HelpDesk, p.Instance.Name, p.Instance.Polling.Interval, stoppingToken)));
    }

    private async Task LoopAsync(string helpDesk, string instance, TimeSpan interval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await poller.PollAsync(helpDesk, instance, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
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
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{HelpDesk} {Instance}: polling pass failed; retrying after the interval")]
    private static partial void LogLoopError(ILogger logger, string helpDesk, string instance, Exception exception);
}
