namespace OpenTicketAI.Integrations.Connectors;

public enum InboundStatus
{
    /// <summary>Verified and parsed: <see cref="InboundResult.Event"/> is set.</summary>
    Accepted,

    /// <summary>Verified, but not an event this connector acts on (another event type, an internal note, ...).</summary>
    Ignored,

    /// <summary>The signature is missing or wrong. Nothing was parsed.</summary>
    Unauthorized,

    /// <summary>Verified, but the body is not the documented payload.</summary>
    Invalid,
}

/// <summary>What a connector made of an inbound webhook call.</summary>
public sealed record InboundResult(InboundStatus Status, TicketEvent? Event, string? Reason)
{
    public static InboundResult Accept(TicketEvent ticketEvent) => new(InboundStatus.Accepted, ticketEvent, null);

    public static InboundResult Ignore(string reason) => new(InboundStatus.Ignored, null, reason);

    public static InboundResult Unauthorized(string reason) => new(InboundStatus.Unauthorized, null, reason);

    public static InboundResult Invalid(string reason) => new(InboundStatus.Invalid, null, reason);
}
