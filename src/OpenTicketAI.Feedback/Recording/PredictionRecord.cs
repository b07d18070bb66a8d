namespace OpenTicketAI.Feedback.Recording;

/// <summary>One served prediction. <paramref name="Ticket"/> is null when the caller sent no ticket id (it still counts in volumes).</summary>
/// <param name="AutoApplied">True when nothing was routed to review, i.e. every predicted head was confident enough to apply.</param>
/// <param name="Subject">The ticket text, kept only when <c>Feedback:StoreTicketText</c> is on (needed to retrain from feedback).</param>
public sealed record PredictionRecord(
    TicketKey? Ticket,
    string Model,
    string ModelVersion,
    DateTimeOffset At,
    double LatencyMs,
    IReadOnlyList<PredictedHead> Heads,
    bool AutoApplied,
    string? Subject,
    string? Body);

/// <summary>What one head said: one label for a single-label head, any number for a multi-label head (tags).</summary>
public sealed record PredictedHead(string Head, IReadOnlyList<string> Labels, double Confidence, bool NeedsReview);
