namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// What a help desk reports about a ticket it already has (moved, priority changed, replied to, closed), in the help desk's
/// own values: the source of feedback and lifecycle events. Nothing is classified for it.
/// </summary>
/// <param name="DeliveryId">Identifies the delivery: the same id twice is recorded once.</param>
/// <param name="EventType">The help desk's event name (<c>convo.moved</c>, <c>TicketQueueUpdate</c>, the Zammad trigger name).</param>
/// <param name="At">When the change happened, as the help desk says; null: when it was received.</param>
/// <param name="Queue">The ticket's queue value now (group name, mailbox id, queue name), or null when the payload does not say.</param>
/// <param name="Priority">The ticket's priority value now, or null.</param>
/// <param name="Actor">Who made the change (login, user id), when the payload says.</param>
/// <param name="ByService">True when the change was made by the service's own help-desk user (our write-back's echo).</param>
/// <param name="AgentReplyAt">Set when the event is a public agent reply: when it was written.</param>
/// <param name="ResolvedAt">Set when the ticket is closed now: when it was closed.</param>
public sealed record TicketObservation(
    string HelpDesk,
    string Instance,
    string DeliveryId,
    string EventType,
    string TicketId,
    DateTimeOffset? At,
    string? Queue,
    string? Priority,
    string? Actor,
    bool ByService,
    DateTimeOffset? AgentReplyAt,
    DateTimeOffset? ResolvedAt);
