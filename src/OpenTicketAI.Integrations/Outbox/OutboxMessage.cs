using System.Text.Json.Serialization;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Outbox;

[JsonConverter(typeof(JsonStringEnumConverter<OutboxStatus>))]
public enum OutboxStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>The target answered 2xx.</summary>
    Delivered,

    /// <summary>Out of attempts, or refused with a 4xx that retrying cannot fix. Retry with <c>POST /integrations/outbox/{id}/retry</c>.</summary>
    Failed,
}

/// <summary>A write-back waiting for, or done with, delivery.</summary>
/// <param name="Target">The named client it is sent with: <c>helpdesk:zammad:main</c>, <c>notify:tier2</c>.</param>
/// <param name="ClaimedUntil">When the sender's claim on it runs out (another replica may take it over then).</param>
/// <param name="Check">How to tell it already reached the ticket (notes), or null for idempotent writes.</param>
/// <param name="MayHaveReached">An earlier attempt may have reached the target: it failed without a clear answer, or the
/// replica making it died (its claim was taken over).</param>
public sealed record OutboxMessage(
    long Id,
    string Target,
    string HelpDesk,
    string Instance,
    string? TicketId,
    string? DeliveryId,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    string Description,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? ClaimedUntil = null,
    WriteBackCheck? Check = null,
    bool MayHaveReached = false);

/// <summary>A write-back to store.</summary>
public sealed record NewOutboxMessage(
    string Target,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    string Description,
    WriteBackCheck? Check = null);

/// <summary>The delivery a set of write-backs answers; recorded once, so a repeated delivery enqueues nothing.</summary>
public sealed record DeliveryRecord(string HelpDesk, string Instance, string DeliveryId, string? TicketId);

public sealed record OutboxCounts(long Pending, long Delivered, long Failed);

/// <summary>Names of outbox targets, which are also the names of their HTTP clients (prefixed <see cref="ClientPrefix"/>).</summary>
public static class OutboxTargets
{
    public const string ClientPrefix = "otai-outbox:";

    public static string HelpDesk(string helpDesk, string instance) => $"helpdesk:{helpDesk.ToLowerInvariant()}:{instance.ToLowerInvariant()}";

    public static string Notification(string name) => $"notify:{name.ToLowerInvariant()}";

    public static string ClientName(string target) => ClientPrefix + target;
}
