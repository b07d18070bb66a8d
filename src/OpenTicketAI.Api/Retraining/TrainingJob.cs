using System.Text.Json.Serialization;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Api.Retraining;

[JsonConverter(typeof(JsonStringEnumConverter<TrainingJobState>))]
public enum TrainingJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>Where a job is: the trainer's stage, the epoch of <see cref="TotalEpochs"/> (early stopping may end sooner), and <see cref="Done"/> of <see cref="Total"/> work items in that stage.</summary>
public sealed record TrainingJobProgress(string Stage, int Epoch, int TotalEpochs, int Done, int Total);

/// <param name="EtaSeconds">Estimated seconds left while training, from the pace so far (an upper bound: early stopping may end sooner).</param>
/// <param name="Version">The version directory the job wrote; set once it succeeded.</param>
/// <param name="Promoted">True when <c>OpenTicketAI:AutoPromote</c> made the new version the active one.</param>
public sealed record TrainingJobStatus(
    string Id,
    string Model,
    TrainingJobState State,
    int Rows,
    bool FromFeedback,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    TrainingJobProgress? Progress,
    double? EtaSeconds,
    string? Version,
    bool Promoted,
    ShadowEvaluation? Shadow,
    string? Error);

/// <summary>What a job trains on and how long it may train.</summary>
public sealed record TrainingJobRequest(string Model, TrainingSet Data, bool FromFeedback, int? Epochs, int? Seed);

/// <summary>One training job. Its state changes only through the worker; readers take <see cref="Snapshot"/>.</summary>
public sealed class TrainingJob(string id, TrainingJobRequest request, DateTimeOffset createdAt) : IProgress<TrainingProgress>, IDisposable
{
    /// <summary>The stage a succeeded job reports.</summary>
    public const string DoneStage = "done";

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cancellation = new();
    private TrainingJobStatus _status = new(id, request.Model, TrainingJobState.Queued, request.Data.Rows.Count, request.FromFeedback, createdAt, null, null, null, null, null, false, null, null);
    private DateTimeOffset? _trainingStartedAt;
    private Func<DateTimeOffset> _clock = () => DateTimeOffset.UtcNow;

    public string Id { get; } = id;

    public TrainingJobRequest Request { get; } = request;

    public CancellationToken Cancellation => _cancellation.Token;

    public TrainingJobStatus Snapshot()
    {
        lock (_lock)
        {
            return _status;
        }
    }

    public bool IsFinished => Snapshot().State is TrainingJobState.Succeeded or TrainingJobState.Failed or TrainingJobState.Cancelled;

    /// <summary>Asks the job to stop; false when it has already finished.</summary>
    public bool Cancel()
    {
        lock (_lock)
        {
            if (_status.State is TrainingJobState.Succeeded or TrainingJobState.Failed or TrainingJobState.Cancelled)
            {
                return false;
            }
        }

        _cancellation.Cancel();
        return true;
    }

    public void Start(TimeProvider time, int totalEpochs)
    {
        _clock = time.GetUtcNow;
        Update(s => s with { State = TrainingJobState.Running, StartedAt = time.GetUtcNow(), Progress = new TrainingJobProgress("load", 0, totalEpochs, 0, 0) });
    }

    public void Report(TrainingProgress value)
    {
        var now = _clock();
        double? eta = null;
        if (value.Stage == TrainingProgress.Train && value.Total > 0)
        {
            _trainingStartedAt ??= now;
            var fraction = (double)value.Done / value.Total;
            if (fraction > 0)
            {
                eta = Math.Round((now - _trainingStartedAt.Value).TotalSeconds * (1 - fraction) / fraction, 1);
            }
        }

        Update(s => s with
        {
            Progress = new TrainingJobProgress(value.Stage, value.Epoch, s.Progress?.TotalEpochs ?? 0, value.Done, value.Total),
            EtaSeconds = eta,
        });
    }

    public void Stage(string stage) => Update(s => s with { Progress = s.Progress is null ? null : s.Progress with { Stage = stage, Done = 0, Total = 0 }, EtaSeconds = null });

    /// <param name="epochs">The epochs the trainer ran (early stopping may end before the total).</param>
    public void Succeed(string version, ShadowEvaluation shadow, bool promoted, int epochs) =>
        Update(s => s with
        {
            State = TrainingJobState.Succeeded,
            FinishedAt = _clock(),
            Version = version,
            Shadow = shadow,
            Promoted = promoted,
            EtaSeconds = 0,
            Progress = new TrainingJobProgress(DoneStage, epochs, s.Progress?.TotalEpochs ?? epochs, 1, 1),
        });

    public void Fail(string error) => Update(s => s with { State = TrainingJobState.Failed, FinishedAt = _clock(), Error = error, EtaSeconds = null });

    public void MarkCancelled() => Update(s => s with { State = TrainingJobState.Cancelled, FinishedAt = _clock(), Error = "cancelled", EtaSeconds = null });

    public void Dispose() => _cancellation.Dispose();

    private void Update(Func<TrainingJobStatus, TrainingJobStatus> change)
    {
        lock (_lock)
        {
            _status = change(_status);
        }
    }
}
