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

    /// <summary>Verified and parsed as a change to a ticket the help desk already has: <see cref="InboundResult.Observation"/> is set.</summary>
    Observed,
}

/// <summary>What a connector made of an inbound webhook call.</summary>
public sealed record InboundResult(InboundStatus Status, TicketEvent? Event, string? Reason)
{
    /// <summary>Set when <see cref="Status"/> is <see cref="InboundStatus.Observed"/>: feedback and lifecycle, nothing to classify.</summary>
    public TicketObservation? Observation { get; init; }

    public static InboundResult Accept(TicketEvent ticketEvent) => new(InboundStatus.Accepted, ticketEvent, null);

    public static InboundResult Observe(TicketObservation observation) => new(InboundStatus.Observed, null, null) { Observation = observation };

    public static InboundResult Ignore(string reason) => new(InboundStatus.Ignored, null, reason);

    public static InboundResult Unauthorized(string reason) => new(InboundStatus.Unauthorized, null, reason);

    public static InboundResult Invalid(string reason) => new(InboundStatus.Invalid, null, reason);
}
