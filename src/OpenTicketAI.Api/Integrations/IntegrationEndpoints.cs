using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenTicketAI.Api.Limits;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Notifications;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Api.Integrations;

/// <summary>
/// Help-desk webhooks, the outbox and the rules dry run. Not in the OpenAPI document yet: the Swagger test pins the
/// documented paths, so adding them is a change to that test first (see docs/integrations).
/// </summary>
public static class IntegrationEndpoints
{
    public const int DefaultOutboxLimit = 100;
    public const int MaxOutboxLimit = 1000;

    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        var integrations = app.MapGroup("/integrations").WithTags("Integrations").RequireScope(ApiScope.Admin);
        integrations.MapGet(string.Empty, ListInstances).WithName("ListIntegrations");

        // A help desk cannot send our API key; each webhook is authenticated by its own signature or secret instead.
        integrations.MapPost("/{helpdesk}/{instance}/webhook", ReceiveWebhook).WithName("ReceiveHelpDeskWebhook")
            .AllowAnonymous()
            .WithModelConcurrencyLimit();
        integrations.MapGet("/outbox", ListOutbox).WithName("ListOutbox");
        integrations.MapPost("/outbox/{id:long}/retry", RetryOutbox).WithName("RetryOutboxMessage");

        app.MapPost("/rules/evaluate", EvaluateRules)
            .WithTags("Rules")
            .WithName("EvaluateRules")
            .RequireScope(ApiScope.Admin)
            .WithValidation()
            .WithModelConcurrencyLimit();
        return app;
    }

    private static Ok<IReadOnlyList<IntegrationInstance>> ListInstances(HelpDeskRegistry registry) =>
        TypedResults.Ok<IReadOnlyList<IntegrationInstance>>(registry.Connectors
            .SelectMany(c => c.Instances.Select(i => new IntegrationInstance(
                c.HelpDesk, i.Name, i.Enabled, i.BaseUrl, i.ModelOrDefault, i.Heads, $"/integrations/{c.HelpDesk}/{i.Name}/webhook")))
            .ToList());

    private static async Task<Results<Ok<WebhookResponse>, Ok<System.Text.Json.JsonElement>, ProblemHttpResult>> ReceiveWebhook(
        string helpdesk, string instance, HttpRequest request, TicketEventProcessor processor, SynchronousResponses synchronous, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var headers = request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()));
        var result = await processor.HandleWebhookAsync(helpdesk, instance, new InboundRequest(buffer.ToArray(), headers), cancellationToken);
        var extensions = new Dictionary<string, object?> { ["helpDesk"] = helpdesk, ["instance"] = instance };

        // Znuny applies the keys of this very response (OTRS_TicketQueueSet, ...): answer with them instead of the summary.
        if (await synchronous.ResolveAsync(helpdesk, instance, result, cancellationToken) is { } keys)
        {
            return TypedResults.Ok(keys);
        }

        return result.Status switch
        {
            ProcessingStatus.Processed or ProcessingStatus.Duplicate or ProcessingStatus.Ignored =>
                TypedResults.Ok(WebhookResponse.From(helpdesk, instance, result)),
            ProcessingStatus.Unauthorized => TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is invalid.", detail: result.Reason, extensions: extensions),
            ProcessingStatus.NotFound => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Help-desk instance not found.", detail: result.Reason, extensions: extensions),
            ProcessingStatus.Invalid => TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest, title: "The webhook body is not understood.", detail: result.Reason, extensions: extensions),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not available.", detail: result.Reason + " Deliver again later.", extensions: extensions),
        };
    }

    private static async Task<Results<Ok<OutboxListResponse>, ValidationProblem>> ListOutbox(
        [FromQuery] string? status, [FromQuery] int? limit, OutboxStore outbox, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        OutboxStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                filter = parsed;
            }
            else
            {
                errors["status"] = [$"status must be pending, delivered or failed; got '{status}'."];
            }
        }

        if (limit is < 1 or > MaxOutboxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxOutboxLimit}; got {limit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), title: "The request is invalid.");
        }

        var items = await outbox.ListAsync(filter, limit ?? DefaultOutboxLimit, cancellationToken);
        var counts = await outbox.CountAsync(cancellationToken);
        return TypedResults.Ok(new OutboxListResponse(counts, items.Select(OutboxItem.From).ToList()));
    }

    private static async Task<Results<Ok<OutboxRetried>, ProblemHttpResult>> RetryOutbox(long id, OutboxStore outbox, OutboxSignal signal, CancellationToken cancellationToken)
    {
        if (!outbox.Exists || !await outbox.RequeueAsync(id, cancellationToken))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No failed outbox message with that id.",
                detail: $"Outbox message {id} does not exist or has not failed; only failed messages can be retried.");
        }

        signal.Notify();
        return TypedResults.Ok(new OutboxRetried(id, OutboxStatus.Pending));
    }

    private static Results<Ok<RulesEvaluationResponse>, ProblemHttpResult> EvaluateRules(
        [FromBody] PredictRequest ticket,
        [FromQuery] string? model,
        [FromQuery] string? helpdesk,
        [FromQuery] string? instance,
        PredictionService predictions,
        ModelStore store,
        RuleEngine rules,
        HelpDeskRegistry registry,
        NotificationPlanner notifications)
    {
        IHelpDeskConnector? connector = null;
        HelpDeskInstanceOptions? settings = null;
        if ((helpdesk is null) != (instance is null) || (helpdesk is not null && !registry.TryFind(helpdesk, instance!, out connector, out settings)))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Help-desk instance not found.",
                detail: $"Give both helpdesk and instance of a configured instance to preview its write-back; got helpdesk '{helpdesk}', instance '{instance}'.");
        }

        var name = model ?? settings?.ModelOrDefault ?? store.DefaultModel;
        if (!ModelName.IsValid(name))
        {
            return ModelProblems.NotFound(name, store);
        }

        var outcome = predictions.Predict(name, [ticket], topK: null);
        if (outcome.Result != ModelLookupResult.Ready)
        {
            return outcome.Result == ModelLookupResult.NotFound
                ? ModelProblems.NotFound(name, store)
                : ModelProblems.Unavailable(name, outcome.Error);
        }

        var response = outcome.Responses[0];
        var classification = ModelStoreClassifierProvider.FromResponse(response);
        var facts = new PredictionFacts(classification.Heads, connector?.HelpDesk, settings?.Name);
        var evaluation = rules.Evaluate(facts, name);
        WriteBackPreview? preview = null;
        if (connector is not null && settings is not null)
        {
            var ticketEvent = new TicketEvent(connector.HelpDesk, settings.Name, "dry-run", "dry-run", ticket.Id ?? "0", ticket.Id, ticket.Subject, ticket.Body, null, null, []);
            var plan = ChangePlanner.Plan(settings, ticketEvent, facts, evaluation);
            var target = OutboxTargets.HelpDesk(connector.HelpDesk, settings.Name);
            var requests = connector.PlanWriteBack(settings, ticketEvent, plan.Changes)
                .Select(r => new PlannedRequest(target, r.Method, r.Path, r.Body, r.Description))
                .Concat(plan.Notifications.Select(n => notifications.Plan(n, ticketEvent, classification, plan))
                    .Select(m => new PlannedRequest(m.Target, m.Method, m.Path, m.Body, m.Description)))
                .ToList();
            preview = new WriteBackPreview(connector.HelpDesk, settings.Name, ChangesResponse.From(plan), plan.Skipped, requests);
        }

        return TypedResults.Ok(new RulesEvaluationResponse(response, evaluation.Rules, evaluation.Actions, evaluation.Review, preview, evaluation.Warnings));
    }
}
