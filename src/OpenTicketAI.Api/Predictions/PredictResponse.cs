namespace OpenTicketAI.Api.Predictions;

/// <summary>
/// What the model says about one ticket. Keys of the dictionaries are the model's head names (<c>queue</c>, <c>priority</c>, ...);
/// a single-label head predicts a string, a multi-label head an array of strings.
/// </summary>
public sealed record PredictResponse(
    IReadOnlyDictionary<string, object> Predictions,
    IReadOnlyDictionary<string, double> Confidence,
    IReadOnlyDictionary<string, bool> NeedsReview,
    IReadOnlyDictionary<string, IReadOnlyList<ScoredLabel>> Alternatives,
    IReadOnlyDictionary<string, double> TagScores,
    ModelReference Model,
    string? Id,
    bool Truncated);

public sealed record ScoredLabel(string Label, double Score);

/// <summary>The model that answered: its directory name and the version from its manifest.</summary>
public sealed record ModelReference(string Name, string Version);

public sealed record BatchPredictResponse(IReadOnlyList<PredictResponse> Results);
