using System.ComponentModel.DataAnnotations;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>Delivery of write-backs (configuration section <c>Integrations:Outbox</c>).</summary>
public sealed class OutboxOptions : IValidatableObject
{
    public const string SectionName = "Integrations:Outbox";

    /// <summary>Attempts per write-back before it is marked failed (listed at <c>GET /integrations/outbox?status=failed</c>).</summary>
    [Range(1, 1000, ErrorMessage = "Integrations:Outbox:MaxAttempts must be between 1 and 1000.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait before the second attempt; doubles per attempt up to <see cref="MaxDelay"/>, with up to 20% jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Integrations:Outbox:InitialDelay must be between 1 ms and 1 hour.")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Integrations:Outbox:MaxDelay must be between 1 ms and 1 day.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the worker looks for due write-backs when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Integrations:Outbox:PollInterval must be between 1 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one HTTP attempt; a slow help desk counts as down for that attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Integrations:Outbox:RequestTimeout must be between 10 ms and 10 minutes.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 1000, ErrorMessage = "Integrations:Outbox:BatchSize must be between 1 and 1000.")]
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long a sender holds the write-backs it claimed; a replica that dies has its claims taken over by another when this
    /// runs out. Must be more than twice <see cref="RequestTimeout"/>: an attempt starts only while at least that much of the lease is left.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Integrations:Outbox:Lease must be between 100 ms and 1 hour.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Run the delivery worker even when no help-desk instance is enabled (tests, notifications only).</summary>
    public bool AlwaysRun { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lease <= 2 * RequestTimeout)
        {
            yield return new ValidationResult(
                $"Integrations:Outbox:Lease ({Lease}) must be more than twice Integrations:Outbox:RequestTimeout ({RequestTimeout}).",
                [nameof(Lease)]);
        }
    }
}
