namespace OpenTicketAI.Feedback.Kpis;

/// <param name="From">Inclusive; predictions at or after it count.</param>
/// <param name="To">Exclusive.</param>
/// <param name="Model">Only this model's predictions (all versions); null for all models.</param>
/// <param name="Bucket">Width of each point of <see cref="KpiReport.Series"/>.</param>
public sealed record KpiQuery(DateTimeOffset From, DateTimeOffset To, string? Model, TimeSpan Bucket);

/// <summary>
/// Live quality and help-desk figures for a time window. <see cref="Overall"/> covers every prediction in the window,
/// <see cref="Versions"/> the same figures per model version (so a new version can be compared with the one before it),
/// <see cref="Series"/> the window cut into buckets for charts.
/// </summary>
public sealed record KpiReport(
    DateTimeOffset From,
    DateTimeOffset To,
    string? Model,
    KpiFigures Overall,
    IReadOnlyList<KpiFigures> Versions,
    IReadOnlyList<KpiPoint> Series);

/// <summary>
/// One group of predictions (all, or one model version). A head's prediction is <em>judged</em> when feedback exists for
/// that ticket and head; it is correct when the latest feedback equals the predicted label.
/// </summary>
/// <param name="AutoApplied">Predictions with nothing routed to review.</param>
/// <param name="SentToReview">Predictions with at least one head below its review threshold.</param>
/// <param name="MedianTimeToFirstResponseSeconds">From creation (or first prediction) to the first agent reply, over tickets that have one.</param>
/// <param name="MedianResolutionSeconds">From creation (or first prediction) to resolution, over resolved tickets.</param>
public sealed record KpiFigures(
    string? Model,
    string? ModelVersion,
    long Predictions,
    long AutoApplied,
    long SentToReview,
    double? AutoAppliedShare,
    IReadOnlyList<HeadKpi> Heads,
    IReadOnlyList<QueueMisrouting> Queues,
    double? MedianTimeToFirstResponseSeconds,
    double? MedianResolutionSeconds);

/// <param name="Judged">Predictions of this head that have feedback.</param>
/// <param name="Accuracy">Correct / judged; null when nothing is judged.</param>
/// <param name="MacroF1">Over the labels seen in the judged predictions or their feedback; null when nothing is judged.</param>
public sealed record HeadKpi(string Head, long Judged, long Correct, double? Accuracy, double? MacroF1);

/// <summary>Tickets the queue head sent to <paramref name="Queue"/>, and how many of them feedback moved elsewhere.</summary>
/// <param name="Rate">Misrouted / routed; null when nothing was routed there.</param>
public sealed record QueueMisrouting(string Queue, long Routed, long Misrouted, double? Rate);

/// <param name="QueueAccuracy">Accuracy of the queue head over the bucket's judged predictions.</param>
/// <param name="MisrouteRate">Misrouted / routed over the bucket.</param>
public sealed record KpiPoint(
    DateTimeOffset Start,
    long Predictions,
    long AutoApplied,
    long Corrections,
    double? QueueAccuracy,
    double? MisrouteRate,
    double? MedianTimeToFirstResponseSeconds);
