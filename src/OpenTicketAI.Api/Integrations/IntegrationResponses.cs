using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Api.Integrations;

/// <summary>The answer to a help desk's webhook call (2xx means: received, do not send again).</summary>
/// <param name="Status"><c>processed</c>, <c>duplicate</c> or <c>ignored</c>.</param>
public sealed record WebhookResponse(
    string Status,
    string? Reason,
    string HelpDesk,
    string Instance,
    string? TicketId,
    string? DeliveryId,
    ModelReference? Model,
    IReadOnlyList<string> RulesFired,
    ChangesResponse? Changes,
    IReadOnlyList<SkippedValue> Skipped,
    IReadOnlyList<long> Outbox,
    FeedbackResponse? Feedback = null)
{
    public static WebhookResponse From(string helpDesk, string instance, ProcessingResult result) => new(
        result.Status.ToString().ToLowerInvariant(),
        result.Reason,
        helpDesk,
        instance,
        result.Event?.TicketId ?? result.Observation?.Observation.TicketId,
        result.Event?.DeliveryId ?? result.Observation?.Observation.DeliveryId,
        result.Classification is { Status: ClassificationStatus.Ready } c ? new ModelReference(c.Model, c.ModelVersion ?? string.Empty) : null,
        result.Plan?.FiredRules ?? [],
        result.Plan is { } plan ? ChangesResponse.From(plan) : null,
        result.Plan?.Skipped ?? [],
        result.OutboxIds ?? [],
        result.Observation is { } observed ? FeedbackResponse.From(observed) : null);
}

/// <summary>What a help-desk update became: feedback per head (the correct label), lifecycle events, and what was ignored and why.</summary>
public sealed record FeedbackResponse(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Lifecycle, IReadOnlyList<string> Ignored)
{
    public static FeedbackResponse From(OpenTicketAI.Integrations.Corrections.ObservationOutcome outcome) => new(
        outcome.Feedback.ToDictionary(f => f.Head, f => f.CorrectLabel, StringComparer.Ordinal),
        outcome.Lifecycle.Select(l => l.Kind.ToString()).ToList(),
        outcome.Ignored);
}

/// <summary>What will be written, in the help desk's values.</summary>
public sealed record ChangesResponse(string? Queue, string? Priority, IReadOnlyList<string> Tags, IReadOnlyList<string> Notes, IReadOnlyList<string> Notifications)
{
    public static ChangesResponse From(ChangePlan plan) =>
        new(plan.Changes.Queue, plan.Changes.Priority, plan.Changes.Tags, plan.Changes.Notes, plan.Notifications);
}

/// <summary>A dry run: the predictions, every rule with whether it fired, and what would be done.</summary>
/// <param name="Prediction">Exactly what <c>POST /predict</c> answers for the same ticket.</param>
/// <param name="Rules">Every enabled rule in order; <c>evaluated</c> is false after a rule with <c>Stop</c> fired.</param>
/// <param name="Actions">The fired actions in order, including the review policy's (rule <c>review</c>).</param>
/// <param name="Review">Whether the ticket would go to the review queue and which heads are below their threshold.</param>
/// <param name="WriteBack">With <c>?helpdesk=&amp;instance=</c>: the mapped changes, skipped labels and the exact calls that would be enqueued.</param>
/// <param name="Warnings">Facts the rules read that this model does not have.</param>
public sealed record RulesEvaluationResponse(
    PredictResponse Prediction,
    IReadOnlyList<RuleOutcome> Rules,
    IReadOnlyList<FiredAction> Actions,
    ReviewOutcome Review,
    WriteBackPreview? WriteBack,
    IReadOnlyList<string> Warnings);

public sealed record WriteBackPreview(string HelpDesk, string Instance, ChangesResponse Changes, IReadOnlyList<SkippedValue> Skipped, IReadOnlyList<PlannedRequest> Requests);

public sealed record PlannedRequest(string Target, string Method, string Path, string? Body, string Description);

/// <summary>Outbox messages, newest first, with the totals per status.</summary>
public sealed record OutboxListResponse(OutboxCounts Counts, IReadOnlyList<OutboxItem> Items);

public sealed record OutboxItem(
    long Id,
    string Target,
    string HelpDesk,
    string Instance,
    string? TicketId,
    string? DeliveryId,
    string Method,
    string Path,
    string? Body,
    string Description,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt)
{
    public static OutboxItem From(OutboxMessage m) => new(
        m.Id, m.Target, m.HelpDesk, m.Instance, m.TicketId, m.DeliveryId, m.Method, m.Path, m.Body, m.Description, m.Status, m.Attempts,
        m.NextAttemptAt, m.LastError, m.LastStatusCode, m.CreatedAt, m.UpdatedAt, m.DeliveredAt);
}

public sealed record OutboxRetried(long Id, OutboxStatus Status);

/// <summary>A configured help-desk instance, without secrets.</summary>
/// <param name="SuggestReply">When the instance gets a suggested reply as an internal note (<c>Off</c>, <c>Rules</c>, <c>Always</c>).</param>
/// <param name="Summary">When it gets a summary as an internal note.</param>
public sealed record IntegrationInstance(
    string HelpDesk, string Name, bool Enabled, string BaseUrl, string? Model, IReadOnlyList<string> Heads, string WebhookPath, AnswerNoteMode SuggestReply, AnswerNoteMode Summary);
