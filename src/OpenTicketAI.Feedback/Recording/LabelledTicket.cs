namespace OpenTicketAI.Feedback.Recording;

/// <summary>
/// A stored ticket with its text and the labels an agent confirmed or corrected, per head: a training or evaluation row.
/// Heads without feedback are absent (the trainer takes partial labels).
/// </summary>
public sealed record LabelledTicket(TicketKey Ticket, string Subject, string? Body, IReadOnlyDictionary<string, string> Labels, DateTimeOffset At);

/// <param name="Since">Only tickets whose latest feedback is at or after this time.</param>
/// <param name="Limit">The most recent this many tickets.</param>
public sealed record LabelledTicketQuery(DateTimeOffset? Since = null, int? Limit = null);
