using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// The job this replica is running: its cancellation and its latest progress, which the worker saves on each heartbeat and
/// <see cref="TrainingJobs"/> shows without waiting for one.
/// </summary>
public sealed class RunningTrainingJob(string id, TrainingJobRequest request, TimeProvider time) : IProgress<TrainingProgress>, IDisposable
{
    /// <summary>The stage a succeeded job reports.</summary>
    public const string DoneStage = "done";

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cancellation = new();
    private TrainingJobProgress? _progress;
    private double? _eta;
    private DateTimeOffset? _trainingStartedAt;

    public string Id { get; } = id;

    public TrainingJobRequest Request { get; } = request;

    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Why the job was stopped early: a cancel request, or the lease lost to another replica.</summary>
    public string? StopReason { get; private set; }

    public (TrainingJobProgress? Progress, double? EtaSeconds) Progress
    {
        get
        {
            lock (_lock)
            {
                return (_progress, _eta);
            }
        }
    }

    public void Stop(string reason)
    {
        StopReason ??= reason;
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The job ended between the caller finding it and stopping it.
        }
    }

    public void Start(int totalEpochs) => Update(new TrainingJobProgress("load", 0, totalEpochs, 0, 0), null);

    public void Report(TrainingProgress value)
    {
        var now = time.GetUtcNow();
        double? eta = null;
        lock (_lock)
        {
            if (value.Stage == TrainingProgress.Train && value.Total > 0)
            {
                _trainingStartedAt ??= now;
                var fraction = (double)value.Done / value.Total;
                if (fraction > 0)
                {
                    eta = Math.Round((now - _trainingStartedAt.Value).TotalSeconds * (1 - fraction) / fraction, 1);
                }
            }

            _progress = new TrainingJobProgress(value.Stage, value.Epoch, _progress?.TotalEpochs ?? 0, value.Done, value.Total);
            _eta = eta;
        }
    }

    public void Stage(string stage)
    {
        lock (_lock)
        {
            _progress = _progress is null ? null : _progress with { Stage = stage, Done = 0, Total = 0 };
            _eta = null;
        }
    }

    /// <param name="epochs">The epochs the trainer ran (early stopping may end before the total).</param>
    public TrainingJobProgress Done(int epochs)
    {
        var done = new TrainingJobProgress(DoneStage, epochs, Progress.Progress?.TotalEpochs ?? epochs, 1, 1);
        Update(done, 0);
        return done;
    }

    public void Dispose() => _cancellation.Dispose();

    private void Update(TrainingJobProgress progress, double? eta)
    {
        lock (_lock)
        {
            _progress = progress;
            _eta = eta;
        }
    }
}
