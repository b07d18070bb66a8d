namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// One ticket event from a help desk, in the shape every connector produces: what to classify and what the ticket holds now.
/// </summary>
/// <param name="HelpDesk">The connector's name, e.g. <c>zammad</c>.</param>
/// <param name="Instance">The configured instance that sent the event.</param>
/// <param name="DeliveryId">Identifies the delivery for idempotency: the same id twice is processed once.</param>
/// <param name="EventType">The help desk's event name (<c>convo.created</c>, the Zammad trigger name, ...).</param>
/// <param name="TicketId">The id the help desk's API addresses the ticket by.</param>
/// <param name="TicketNumber">The number agents see, when it differs from the id.</param>
/// <param name="Subject">Ticket title or subject.</param>
/// <param name="Body">The first message as plain text.</param>
/// <param name="CurrentQueue">The help-desk value the ticket is in now (group name, mailbox id), if the payload says.</param>
/// <param name="CurrentPriority">The help-desk priority now, if the help desk has one.</param>
/// <param name="ExistingTags">Tags the ticket already carries, as far as the payload tells.</param>
public sealed record TicketEvent(
    string HelpDesk,
    string Instance,
    string DeliveryId,
    string EventType,
    string TicketId,
    string? TicketNumber,
    string? Subject,
    string? Body,
    string? CurrentQueue,
    string? CurrentPriority,
    IReadOnlyList<string> ExistingTags)
{
    /// <summary>When the help desk created the ticket, if the payload says (the start of response and resolution times).</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
