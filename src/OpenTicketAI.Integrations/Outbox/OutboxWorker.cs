using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// Drains the outbox in the background: at start-up it migrates the database (a host that cannot open it does not start)
/// and sends whatever an earlier run left pending; then it sends new write-backs as they are enqueued and retries due ones.
/// Idle when no help-desk instance is enabled.
/// </summary>
public sealed partial class OutboxWorker(
    OutboxStore store,
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    HelpDeskRegistry registry,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private bool Active => registry.AnyEnabled || options.Value.AlwaysRun;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Active)
        {
            await store.MigrateAsync(cancellationToken);
            var counts = await store.CountAsync(cancellationToken);
            LogStarted(logger, store.DatabasePath, counts.Pending, counts.Failed);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Active)
        {
            return;
        }

        var poll = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                while (await dispatcher.DispatchDueAsync(stoppingToken) > 0)
                {
                }

                if (await store.NextDueAsync(stoppingToken) is { } next)
                {
                    var until = next - time.GetUtcNow();
                    wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < poll ? until : poll;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database error (disk full, locked file) must not end delivery for good: log and try again later.
                LogLoopError(logger, ex);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path} ready: {Pending} pending, {Failed} failed write-backs")]
    private static partial void LogStarted(ILogger logger, string path, long pending, long failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox delivery loop failed; retrying after the poll interval")]
    private static partial void LogLoopError(ILogger logger, Exception exception);
}
