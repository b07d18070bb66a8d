using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Inference;

/// <summary>A label and its probability (single-label) or score (multi-label).</summary>
public sealed record LabelScore(string Label, float Score);

/// <summary>
/// What one head says about one ticket. <see cref="Scores"/> holds the best-scoring labels (and every chosen one),
/// highest first.
/// </summary>
public sealed record HeadPrediction(
    string Head,
    HeadKind Kind,
    IReadOnlyList<string> Labels,
    float Confidence,
    bool NeedsReview,
    IReadOnlyList<LabelScore> Scores)
{
    /// <summary>The top label of a single-label head; null for a multi-label head.</summary>
    public string? Label => Kind == HeadKind.SingleLabel ? Labels[0] : null;
}

public sealed record TicketPrediction(IReadOnlyDictionary<string, HeadPrediction> Heads)
{
    /// <summary>This prediction with <paramref name="head"/> added, or replacing the head of the same name.</summary>
    public TicketPrediction With(HeadPrediction head) =>
        new(new Dictionary<string, HeadPrediction>(Heads, StringComparer.Ordinal) { [head.Head] = head });
}
