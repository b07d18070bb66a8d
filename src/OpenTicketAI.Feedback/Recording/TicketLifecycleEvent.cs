namespace OpenTicketAI.Feedback.Recording;

public enum TicketLifecycleKind
{
    /// <summary>The help desk created the ticket (else the first prediction's time stands in).</summary>
    Created,

    /// <summary>An agent's first public reply: ends the time to first response. Later replies are ignored.</summary>
    FirstAgentReply,

    /// <summary>The ticket was closed or solved: ends the resolution time. A reopened and closed again ticket keeps the last one.</summary>
    Resolved,
}

public sealed record TicketLifecycleEvent(TicketKey Ticket, TicketLifecycleKind Kind, DateTimeOffset At);
