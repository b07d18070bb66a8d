namespace OpenTicketAI.Feedback.Recording;

/// <summary>
/// A stored ticket with its text and the labels an agent confirmed or corrected, per head: a training or evaluation row.
/// Heads without feedback are absent (the trainer takes partial labels).
/// </summary>
public sealed record LabelledTicket(TicketKey Ticket, string Subject, string? Body, IReadOnlyDictionary<string, string> Labels, DateTimeOffset At)
{
    /// <summary>When the help desk reported the ticket closed or solved; null while it is open (or nobody said).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
}

/// <param name="Since">Only tickets whose latest feedback is at or after this time.</param>
/// <param name="Limit">The most recent this many tickets.</param>
/// <param name="ResolvedOnly">Only tickets the help desk reported resolved.</param>
public sealed record LabelledTicketQuery(DateTimeOffset? Since = null, int? Limit = null, bool ResolvedOnly = false);
