using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Corrections;

/// <summary>What one help-desk observation became: the feedback and lifecycle events stored, and what was left out and why.</summary>
public sealed record ObservationOutcome(
    TicketObservation Observation,
    IReadOnlyList<FeedbackRecord> Feedback,
    IReadOnlyList<TicketLifecycleEvent> Lifecycle,
    IReadOnlyList<string> Ignored);

/// <summary>
/// Turns what help desks report into agents' corrections for the feedback store (<c>OpenTicketAI.Feedback</c>): an agent
/// moved the ticket or changed its priority. To judge a change it records every prediction a connector makes (the
/// baseline) and the values the ticket has after our write-back, and it records lifecycle events (created, first agent
/// reply, resolved) for response and resolution times. (The store itself is <c>OpenTicketAI.Feedback</c>; the REST
/// <c>/feedback</c> endpoint is <c>Api/Feedback</c>.)
/// <para>
/// A change is what differs from the value the service last saw or wrote for that ticket (kept in the integrations
/// database), so the echo of our own write-back is no change; a change the help desk attributes to the service's own user
/// is ignored too. A change counts only for a ticket with a stored prediction. The help-desk value is mapped back to a label
/// through the instance's mappings (<see cref="LabelFor"/>); at resolution the final queue and priority are recorded as
/// feedback even when unchanged, so a prediction nobody corrected counts as confirmed.
/// </para>
/// </summary>
public sealed partial class CorrectionRecorder(
    TicketValues known,
    IOptions<FeedbackOptions> options,
    IOptions<RulesOptions> rules,
    TimeProvider time,
    ILogger<CorrectionRecorder> logger,
    IFeedbackStore? store = null)
{
    /// <summary>Heads whose help-desk value an observation carries and that can be corrected.</summary>
    public static readonly IReadOnlyList<string> ObservedHeads = ["queue", "priority"];

    /// <summary>Stores the prediction (and the ticket's creation time) and remembers the values the ticket has after our write-back.</summary>
    public async Task RecordPredictionAsync(TicketEvent ticket, TicketClassification classification, RuleEvaluation evaluation, ChangePlan plan, double latencyMs, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["queue"] = plan.Changes.Queue ?? ticket.CurrentQueue,
            ["priority"] = plan.Changes.Priority ?? ticket.CurrentPriority,
        };
        await known.SetAsync(ticket.HelpDesk, ticket.Instance, ticket.TicketId, values, cancellationToken);
        if (store is null)
        {
            LogNoStore(logger, ticket.HelpDesk, ticket.Instance, ticket.TicketId);
            return;
        }

        var key = TicketKey.FromHelpDesk(ticket.HelpDesk, ticket.Instance, ticket.TicketId);
        var heads = classification.Heads
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => new PredictedHead(h.Key, h.Value.Labels, h.Value.Confidence, h.Value.NeedsReview))
            .ToList();
        var keepText = options.Value.StoreTicketText;
        await store.RecordPredictionAsync(
            new PredictionRecord(
                key,
                classification.Model,
                classification.ModelVersion ?? string.Empty,
                time.GetUtcNow(),
                latencyMs,
                heads,
                !evaluation.Review.Required,
                keepText ? ticket.Subject : null,
                keepText ? ticket.Body : null),
            cancellationToken);
        if (ticket.CreatedAt is { } created)
        {
            await store.RecordLifecycleEventAsync(new TicketLifecycleEvent(key, TicketLifecycleKind.Created, created), cancellationToken);
        }
    }

    /// <summary>Turns one observation into feedback and lifecycle events; the ticket's values are remembered only once they are stored.</summary>
    public async Task<ObservationOutcome> ObserveAsync(HelpDeskInstanceOptions instance, TicketObservation observation, CancellationToken cancellationToken)
    {
        var feedback = new List<FeedbackRecord>();
        var lifecycle = new List<TicketLifecycleEvent>();
        var ignored = new List<string>();
        var key = TicketKey.FromHelpDesk(observation.HelpDesk, observation.Instance, observation.TicketId);
        var now = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["queue"] = observation.Queue, ["priority"] = observation.Priority };
        var prediction = store is null ? null : await store.GetLatestPredictionAsync(key, cancellationToken);
        if (store is null || prediction is null)
        {
            ignored.Add(store is null ? "no feedback store is configured." : $"no prediction is stored for ticket {observation.TicketId}.");
            await known.SetAsync(observation.HelpDesk, observation.Instance, observation.TicketId, now, cancellationToken);
            return new ObservationOutcome(observation, feedback, lifecycle, ignored);
        }

        var before = await known.GetAsync(observation.HelpDesk, observation.Instance, observation.TicketId, cancellationToken);
        var received = time.GetUtcNow();
        var resolved = observation.ResolvedAt is not null;
        foreach (var head in ObservedHeads)
        {
            if (now[head] is not { } value)
            {
                continue;
            }

            var changed = !before.TryGetValue(head, out var previous) || !string.Equals(previous, value, StringComparison.OrdinalIgnoreCase);
            if (!changed && !resolved)
            {
                continue;
            }

            if (changed && !resolved && observation.ByService)
            {
                ignored.Add($"{head} '{value}' was set by the service's own user.");
                continue;
            }

            var predictedHead = prediction.Heads.FirstOrDefault(h => string.Equals(h.Head, head, StringComparison.OrdinalIgnoreCase));
            var predicted = predictedHead is { Labels.Count: > 0 } ? predictedHead.Labels[0] : null;
            if (predicted is null)
            {
                ignored.Add($"the prediction has no {head} label.");
                continue;
            }

            if (LabelFor(head, value, predicted, instance, ReviewQueue()) is not { } label)
            {
                var reason = $"{head} '{value}' maps to no single label in Mappings:{(head == "queue" ? "Queues" : "Priorities")}.";
                LogUnmapped(logger, observation.HelpDesk, observation.Instance, observation.TicketId, reason);
                ignored.Add(reason);
                continue;
            }

            var record = new FeedbackRecord(key, head, label, observation.Actor, changed ? observation.At ?? received : observation.ResolvedAt ?? received, FeedbackOrigin.HelpDesk);
            var outcome = await store.RecordFeedbackAsync(record, cancellationToken);
            if (outcome.Stored)
            {
                feedback.Add(record);
                LogFeedback(logger, observation.HelpDesk, observation.Instance, observation.TicketId, head, label, outcome.PredictedLabel, outcome.IsCorrection);
            }
        }

        if (observation.AgentReplyAt is { } reply)
        {
            lifecycle.Add(new TicketLifecycleEvent(key, TicketLifecycleKind.FirstAgentReply, reply));
        }

        if (observation.ResolvedAt is { } closed)
        {
            lifecycle.Add(new TicketLifecycleEvent(key, TicketLifecycleKind.Resolved, closed));
        }

        foreach (var lifecycleEvent in lifecycle)
        {
            await store.RecordLifecycleEventAsync(lifecycleEvent, cancellationToken);
        }

        await known.SetAsync(observation.HelpDesk, observation.Instance, observation.TicketId, now, cancellationToken);
        return new ObservationOutcome(observation, feedback, lifecycle, ignored);
    }

    /// <summary>
    /// The model label behind a help-desk value: the mapping entries whose value is <paramref name="value"/> (case-insensitive),
    /// leaving out the review queue. One entry: its label. Several (many labels share one help-desk queue): the predicted label
    /// when it is one of them (the agent's choice agrees with the model), otherwise none, since the value does not say which.
    /// None: the value is not mapped and is ignored.
    /// </summary>
    public static string? LabelFor(string head, string value, string? predicted, HelpDeskInstanceOptions instance, string? reviewQueue)
    {
        var isQueue = string.Equals(head, "queue", StringComparison.OrdinalIgnoreCase);
        var labels = (isQueue ? instance.Mappings.Queues : instance.Mappings.Priorities)
            .Where(m => string.Equals(m.Value?.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Key)
            .Where(label => !isQueue || !string.Equals(label, reviewQueue, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (predicted is not null && labels.Contains(predicted, StringComparer.OrdinalIgnoreCase))
        {
            return predicted;
        }

        return labels.Count == 1 ? labels[0] : null;
    }

    private string? ReviewQueue() => string.IsNullOrWhiteSpace(rules.Value.Review.Queue) ? null : rules.Value.Review.Queue.Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance} ticket {TicketId}: prediction not stored: no feedback store is registered")]
    private static partial void LogNoStore(ILogger logger, string helpDesk, string instance, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance} ticket {TicketId}: help-desk change ignored: {Reason}")]
    private static partial void LogUnmapped(ILogger logger, string helpDesk, string instance, string ticketId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance} ticket {TicketId}: feedback {Head} = '{Label}' (predicted '{Predicted}', correction {IsCorrection})")]
    private static partial void LogFeedback(ILogger logger, string helpDesk, string instance, string ticketId, string head, string label, string? predicted, bool isCorrection);
}
