using System.ComponentModel.DataAnnotations;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// How replicas share training jobs (configuration section <c>Training</c>). Jobs are stored in the feedback database
/// (<c>Feedback:Provider</c>, <c>Feedback:ConnectionString</c>), so every replica sees them.
/// </summary>
public sealed class TrainingJobOptions : IValidatableObject
{
    public const string SectionName = "Training";

    /// <summary>Run queued jobs on this replica; false for replicas that mount the models volume read-only (they still accept, list and cancel jobs).</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>How long a replica holds the job it runs without renewing; a job whose replica died is taken over when this runs out.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = "Training:Lease must be between 500 ms and 1 hour.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the running replica renews its lease, saves progress and looks for a cancel request.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "Training:Heartbeat must be between 50 ms and 10 minutes.")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an idle replica looks for jobs queued through other replicas (its own wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "Training:PollInterval must be between 50 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Starts of one job: a job whose replica died is started again from scratch until this many starts, then marked failed as interrupted.</summary>
    [Range(1, 10, ErrorMessage = "Training:MaxAttempts must be between 1 and 10.")]
    public int MaxAttempts { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lease < 3 * Heartbeat)
        {
            yield return new ValidationResult(
                $"Training:Lease ({Lease}) must be at least three times Training:Heartbeat ({Heartbeat}), so one late heartbeat does not lose the job.",
                [nameof(Lease)]);
        }
    }
}
