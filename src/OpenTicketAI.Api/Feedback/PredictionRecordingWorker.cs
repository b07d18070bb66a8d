using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;

namespace OpenTicketAI.Api.Feedback;

/// <summary>
/// Writes queued predictions in batches of up to <c>Feedback:WriteBatchSize</c>, one transaction each, gathering for
/// <c>Feedback:WriteDelayMilliseconds</c> after the first. On shutdown it stops accepting new records and writes what is
/// queued, within the host's shutdown timeout.
/// </summary>
public sealed partial class PredictionRecordingWorker(
    PredictionRecorder recorder, IFeedbackStore store, IOptions<FeedbackOptions> options, ILogger<PredictionRecordingWorker> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        recorder.Complete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.WriteBatchSize;
        var delay = TimeSpan.FromMilliseconds(options.Value.WriteDelayMilliseconds);
        var batch = new List<PredictionRecord>(Math.Min(batchSize, 1024));
        // Not stoppingToken: the loop ends when the queue is completed and empty, so queued records are written at shutdown.
        while (await recorder.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (delay > TimeSpan.Zero && !stoppingToken.IsCancellationRequested)
            {
                // Group commit: a commit costs an fsync, which at low load would otherwise be paid once per request.
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: write what is queued now.
                }
            }

            while (batch.Count < batchSize && recorder.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await store.RecordPredictionsAsync(batch, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogWriteFailed(logger, ex, batch.Count);
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} predictions; they are not recorded")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
