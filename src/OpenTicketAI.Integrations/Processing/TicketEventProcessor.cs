using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Corrections;
using OpenTicketAI.Integrations.Notifications;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Processing;

public enum ProcessingStatus
{
    /// <summary>
    /// Classified, rules evaluated, write-backs stored in the outbox (possibly none); for an update of a known ticket
    /// (<see cref="ProcessingResult.Observation"/>): feedback and lifecycle events recorded (possibly none).
    /// </summary>
    Processed,

    /// <summary>This delivery was processed before; nothing new was stored.</summary>
    Duplicate,

    /// <summary>Verified, but not an event to act on.</summary>
    Ignored,

    /// <summary>Signature missing or wrong: nothing was parsed or stored.</summary>
    Unauthorized,

    /// <summary>Not the documented payload.</summary>
    Invalid,

    /// <summary>No enabled instance of that name.</summary>
    NotFound,

    /// <summary>The model cannot answer now; the help desk should deliver again later.</summary>
    ModelUnavailable,
}

/// <summary>What happened to one event, for the webhook response and tests.</summary>
public sealed record ProcessingResult(
    ProcessingStatus Status,
    string? Reason,
    TicketEvent? Event = null,
    TicketClassification? Classification = null,
    RuleEvaluation? Evaluation = null,
    ChangePlan? Plan = null,
    IReadOnlyList<long>? OutboxIds = null,
    ObservationOutcome? Observation = null);

/// <summary>What the pipeline would do with a classified ticket: the rules' evaluation and, for a help-desk instance, its change plan and calls.</summary>
public sealed record TicketEventPreview(RuleEvaluation Evaluation, ChangePlan? Plan, IReadOnlyList<NewOutboxMessage> Messages);

/// <summary>
/// The shared pipeline behind every connector: verify and parse (the connector), classify, evaluate rules, map labels to the
/// help desk's values, plan the write-back calls (the connector) and store them with the delivery in the outbox, which
/// the worker then delivers. Webhook connectors enter through <see cref="HandleWebhookAsync"/>; a polling connector hands
/// its events to <see cref="ProcessAsync"/>.
/// </summary>
public sealed partial class TicketEventProcessor(
    HelpDeskRegistry registry,
    ITicketClassifierProvider classifier,
    RuleEngine rules,
    NotificationPlanner notifications,
    OutboxStore outbox,
    DeliveryLog deliveries,
    OutboxSignal signal,
    IntegrationMetrics metrics,
    CorrectionRecorder corrections,
    AnswerNotes answers,
    ILogger<TicketEventProcessor> logger)
{
    public async Task<ProcessingResult> HandleWebhookAsync(string helpDesk, string instanceName, InboundRequest request, CancellationToken cancellationToken)
    {
        if (!registry.TryFind(helpDesk, instanceName, out var connector, out var instance) || !instance.Enabled)
        {
            return new ProcessingResult(ProcessingStatus.NotFound, $"No enabled {helpDesk} instance named '{instanceName}' is configured.");
        }

        var inbound = Receive(connector, instance, request);
        ProcessingResult result;
        switch (inbound.Status)
        {
            case InboundStatus.Unauthorized:
                LogRefused(logger, connector.HelpDesk, instance.Name, inbound.Reason);
                result = new ProcessingResult(ProcessingStatus.Unauthorized, inbound.Reason);
                break;
            case InboundStatus.Invalid:
                LogInvalid(logger, connector.HelpDesk, instance.Name, inbound.Reason);
                result = new ProcessingResult(ProcessingStatus.Invalid, inbound.Reason);
                break;
            case InboundStatus.Ignored:
                LogIgnored(logger, connector.HelpDesk, instance.Name, inbound.Reason);
                result = new ProcessingResult(ProcessingStatus.Ignored, inbound.Reason);
                break;
            case InboundStatus.Observed:
                result = await ObserveAsync(instance, inbound.Observation!, cancellationToken);
                break;
            default:
                result = await ProcessAsync(connector, instance, inbound.Event!, cancellationToken);
                break;
        }

        metrics.WebhookReceived(connector.HelpDesk, result.Status.ToString().ToLowerInvariant());
        return result;
    }

    /// <summary>
    /// JsonDocument checks UTF-8 inside strings only when a string is read, so a signed body with invalid UTF-8 fails in the
    /// connector's parsing; that is the sender's mistake (400), not ours.
    /// </summary>
    private static InboundResult Receive(IHelpDeskConnector connector, HelpDeskInstanceOptions instance, InboundRequest request)
    {
        try
        {
            return connector.Receive(instance, request);
        }
        catch (InvalidOperationException) when (!System.Text.Unicode.Utf8.IsValid(request.Body.Span))
        {
            return InboundResult.Invalid("the body is not valid UTF-8 text.");
        }
    }

    public async Task<ProcessingResult> ProcessAsync(IHelpDeskConnector connector, HelpDeskInstanceOptions instance, TicketEvent ticket, CancellationToken cancellationToken)
    {
        if (await deliveries.IsProcessedAsync(ticket.HelpDesk, ticket.Instance, ticket.DeliveryId, cancellationToken))
        {
            LogDuplicate(logger, ticket.HelpDesk, ticket.Instance, ticket.DeliveryId, ticket.TicketId);
            return new ProcessingResult(ProcessingStatus.Duplicate, $"Delivery '{ticket.DeliveryId}' was processed before.", ticket);
        }

        var started = Stopwatch.GetTimestamp();
        var classification = classifier.Classify(new TicketText(ticket.Subject, ticket.Body), instance.ModelOrDefault);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (classification.Status != ClassificationStatus.Ready)
        {
            LogModelUnavailable(logger, classification.Model, ticket.HelpDesk, ticket.Instance, ticket.TicketId, classification.Error);
            return new ProcessingResult(ProcessingStatus.ModelUnavailable, $"Model '{classification.Model}' cannot classify now: {classification.Error}", ticket, classification);
        }

        var (evaluation, plan, messages) = Plan(classification, ticket, connector, instance, cancellationToken);
        foreach (var skipped in plan.Skipped)
        {
            LogSkipped(logger, ticket.HelpDesk, ticket.Instance, ticket.TicketId, skipped.Kind, skipped.Label, skipped.Reason);
        }

        foreach (var warning in evaluation.Warnings)
        {
            LogRuleWarning(logger, classification.Model, warning);
        }

        var ids = await outbox.EnqueueAsync(new DeliveryRecord(ticket.HelpDesk, ticket.Instance, ticket.DeliveryId, ticket.TicketId), messages, cancellationToken);
        if (ids is null)
        {
            LogDuplicate(logger, ticket.HelpDesk, ticket.Instance, ticket.DeliveryId, ticket.TicketId);
            return new ProcessingResult(ProcessingStatus.Duplicate, $"Delivery '{ticket.DeliveryId}' was processed before.", ticket);
        }

        foreach (var rule in plan.FiredRules)
        {
            metrics.RuleFired(rule);
        }

        foreach (var group in messages.GroupBy(m => m.Target))
        {
            metrics.Enqueued(group.Key, group.Count());
        }

        if (ids.Count > 0)
        {
            signal.Notify();
        }

        try
        {
            await corrections.RecordPredictionAsync(ticket, classification, evaluation, plan, latency, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The write-backs are stored: a prediction the store cannot take is logged, never a failed delivery.
            LogPredictionNotRecorded(logger, ticket.HelpDesk, ticket.Instance, ticket.TicketId, ex);
        }

        LogProcessed(logger, ticket.HelpDesk, ticket.Instance, ticket.TicketId, ticket.DeliveryId, plan.FiredRules.Count, ids.Count, plan.Skipped.Count);
        return new ProcessingResult(ProcessingStatus.Processed, null, ticket, classification, evaluation, plan, ids);
    }

    /// <summary>
    /// Rules, change plan and write-back calls for a classified ticket, stored nowhere: what <see cref="ProcessAsync"/> enqueues,
    /// and what the rules dry run shows. Without a connector and instance only the rules are evaluated.
    /// </summary>
    public TicketEventPreview Preview(TicketClassification classification, TicketEvent ticket, IHelpDeskConnector? connector, HelpDeskInstanceOptions? instance)
    {
        if (connector is null || instance is null)
        {
            return new TicketEventPreview(rules.Evaluate(new PredictionFacts(classification.Heads, null, null), classification.Model), null, []);
        }

        var (evaluation, plan, messages) = Plan(classification, ticket, connector, instance, CancellationToken.None);
        return new TicketEventPreview(evaluation, plan, messages);
    }

    private (RuleEvaluation Evaluation, ChangePlan Plan, List<NewOutboxMessage> Messages) Plan(
        TicketClassification classification, TicketEvent ticket, IHelpDeskConnector connector, HelpDeskInstanceOptions instance, CancellationToken cancellationToken)
    {
        var facts = new PredictionFacts(classification.Heads, ticket.HelpDesk, ticket.Instance);
        var evaluation = rules.Evaluate(facts, classification.Model);
        var plan = ChangePlanner.Plan(instance, ticket, facts, evaluation, answers.Plan(instance, ticket, evaluation, cancellationToken));
        var target = OutboxTargets.HelpDesk(connector.HelpDesk, instance.Name);
        var messages = connector.PlanWriteBack(instance, ticket, plan.Changes)
            .Select(r => new NewOutboxMessage(target, r.Method, r.Path, r.Headers, r.Body, r.Description, r.Check))
            .Concat(plan.Notifications.Select(n => notifications.Plan(n, ticket, classification, plan)))
            .ToList();
        return (evaluation, plan, messages);
    }

    /// <summary>
    /// Records what a help desk reports about a ticket it already has (feedback, lifecycle), once per delivery: the delivery is
    /// claimed first, and released again when the store fails, so the help desk's retry is not lost.
    /// </summary>
    public async Task<ProcessingResult> ObserveAsync(HelpDeskInstanceOptions instance, TicketObservation observation, CancellationToken cancellationToken)
    {
        var delivery = new DeliveryRecord(observation.HelpDesk, observation.Instance, observation.DeliveryId, observation.TicketId);
        if (await outbox.EnqueueAsync(delivery, [], cancellationToken) is null)
        {
            LogDuplicate(logger, observation.HelpDesk, observation.Instance, observation.DeliveryId, observation.TicketId);
            return new ProcessingResult(ProcessingStatus.Duplicate, $"Delivery '{observation.DeliveryId}' was processed before.");
        }

        ObservationOutcome outcome;
        try
        {
            outcome = await corrections.ObserveAsync(instance, observation, cancellationToken);
        }
        catch
        {
            await deliveries.ReleaseAsync(delivery, CancellationToken.None);
            throw;
        }

        LogObserved(logger, observation.HelpDesk, observation.Instance, observation.TicketId, observation.EventType, outcome.Feedback.Count, outcome.Lifecycle.Count);
        return new ProcessingResult(ProcessingStatus.Processed, null, Observation: outcome);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{HelpDesk} {Instance} ticket {TicketId}: the prediction could not be stored")]
    private static partial void LogPredictionNotRecorded(ILogger logger, string helpDesk, string instance, string ticketId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance} ticket {TicketId} ({EventType}): {Feedback} feedback and {Lifecycle} lifecycle events recorded")]
    private static partial void LogObserved(ILogger logger, string helpDesk, string instance, string ticketId, string eventType, int feedback, int lifecycle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance}: webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string helpDesk, string instance, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance}: webhook body not understood: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string helpDesk, string instance, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{HelpDesk} {Instance}: webhook ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string helpDesk, string instance, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance}: delivery {DeliveryId} for ticket {TicketId} was already processed; nothing enqueued")]
    private static partial void LogDuplicate(ILogger logger, string helpDesk, string instance, string deliveryId, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} cannot classify {HelpDesk} {Instance} ticket {TicketId}: {Error}")]
    private static partial void LogModelUnavailable(ILogger logger, string model, string helpDesk, string instance, string ticketId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance} ticket {TicketId}: {Kind} label '{Label}' not written: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string helpDesk, string instance, string ticketId, string kind, string label, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rules on model {Model}: {Warning}")]
    private static partial void LogRuleWarning(ILogger logger, string model, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance} ticket {TicketId} (delivery {DeliveryId}): {Rules} rules fired, {Requests} write-backs enqueued, {Skipped} labels skipped")]
    private static partial void LogProcessed(ILogger logger, string helpDesk, string instance, string ticketId, string deliveryId, int rules, int requests, int skipped);
}
