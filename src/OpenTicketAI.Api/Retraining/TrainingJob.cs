using System.Text.Json.Serialization;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Training.Data;

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
/// <param name="Owner">The replica that runs (or ran) the job: host name, process id and a random suffix.</param>
/// <param name="Attempts">How often the job was started: more than once when the replica running it died and another took it over.</param>
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
    string? Error,
    string? Owner = null,
    int Attempts = 0);

/// <summary>The jobs of one model, newest first.</summary>
public sealed record TrainingJobList(string Model, IReadOnlyList<TrainingJobStatus> Jobs);

/// <summary>What a job trains on and how long it may train.</summary>
public sealed record TrainingJobRequest(string Model, TrainingSet Data, bool FromFeedback, int? Epochs, int? Seed);
