using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;

namespace OpenTicketAI.Feedback.Storage;

/// <summary>
/// Where predictions, feedback and ticket lifecycle events persist: SQLite by default, PostgreSQL by configuration.
/// Every write is one transaction; a failed write leaves what was stored before untouched.
/// </summary>
public interface IFeedbackStore
{
    /// <summary>Creates or upgrades the schema; called once at start-up, safe to call again.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken);

    /// <summary>Stores several predictions in one transaction: all of them or, on failure, none.</summary>
    Task RecordPredictionsAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken);

    Task<FeedbackOutcome> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken);

    Task RecordLifecycleEventAsync(TicketLifecycleEvent lifecycleEvent, CancellationToken cancellationToken);

    /// <summary>The most recent prediction stored for the ticket, or null.</summary>
    Task<PredictionRecord?> GetLatestPredictionAsync(TicketKey ticket, CancellationToken cancellationToken);

    Task<KpiReport> GetKpisAsync(KpiQuery query, CancellationToken cancellationToken);

    /// <summary>Tickets with stored text and at least one feedback label, most recent first.</summary>
    Task<IReadOnlyList<LabelledTicket>> GetLabelledTicketsAsync(LabelledTicketQuery query, CancellationToken cancellationToken);
}
