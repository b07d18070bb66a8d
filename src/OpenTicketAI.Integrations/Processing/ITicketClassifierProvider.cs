using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>Classifies one ticket with a served model. The service implements it over its model store, so reloads and leases apply.</summary>
public interface ITicketClassifierProvider
{
    /// <param name="ticket">Subject and plain-text body.</param>
    /// <param name="model">A model name, or null for the default model.</param>
    TicketClassification Classify(TicketText ticket, string? model);
}

public enum ClassificationStatus
{
    Ready,

    /// <summary>No model of that name is served.</summary>
    NotFound,

    /// <summary>The model exists but is not loaded (still loading or failed); the help desk should retry later.</summary>
    Unavailable,
}

/// <summary>One head's answer: its label(s), confidence and whether the model itself flags it for review.</summary>
public sealed record HeadResult(IReadOnlyList<string> Labels, bool MultiLabel, double Confidence, bool NeedsReview);

/// <summary>The model's answer for one ticket, keyed by head name; empty unless <see cref="Status"/> is <see cref="ClassificationStatus.Ready"/>.</summary>
public sealed record TicketClassification(
    ClassificationStatus Status,
    IReadOnlyDictionary<string, HeadResult> Heads,
    string Model,
    string? ModelVersion,
    string? Error)
{
    /// <summary>Confidences are rounded as the REST API shows them, so a rule's threshold means what <c>/predict</c> shows.</summary>
    public const int Decimals = 4;

    public static TicketClassification Failed(ClassificationStatus status, string model, string? error) =>
        new(status, new Dictionary<string, HeadResult>(), model, null, error);

    /// <summary>The one conversion from the model's prediction: every path that classifies for rules (webhooks, polling, the dry run) uses it.</summary>
    public static TicketClassification FromPrediction(TicketPrediction prediction, string model, string version)
    {
        var heads = prediction.Heads.ToDictionary(
            h => h.Key,
            h => new HeadResult(h.Value.Labels, h.Value.Kind == HeadKind.MultiLabel, Math.Round(h.Value.Confidence, Decimals), h.Value.NeedsReview),
            StringComparer.Ordinal);
        return new TicketClassification(ClassificationStatus.Ready, heads, model, version, null);
    }
}
