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
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Integrations;

/// <summary>
/// Help-desk webhooks, the outbox and the rules dry run. All of them are in the OpenAPI document; the Swagger test pins the
/// documented paths, so adding or removing one is a change to that test too.
/// </summary>
public static class IntegrationEndpoints
{
    public const int DefaultOutboxLimit = 100;
    public const int MaxOutboxLimit = 1000;

    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        var integrations = app.MapGroup("/integrations").WithTags("Integrations").RequireScope(ApiScope.Admin);
        integrations.MapGet(string.Empty, ListInstances)
            .WithName("ListIntegrations")
            .WithSummary("List the configured help-desk instances, their model, heads and webhook path");

        // A help desk cannot send our API key; each webhook is authenticated by its own signature or secret instead.
        integrations.MapPost("/{helpdesk}/{instance}/webhook", ReceiveWebhook)
            .WithName("ReceiveHelpDeskWebhook")
            .WithSummary("Receive a help desk's ticket event: classify, run the rules, store the write-back in the outbox")
            .WithDescription("Authenticated by the help desk's signature or shared secret, not an API key. Answers with the classification and what was enqueued (Znuny/OTOBO: with the keys the help desk applies itself). A delivery seen before is not processed again.")
            .AllowAnonymous()
            .WithModelConcurrencyLimit();
        integrations.MapGet("/outbox", ListOutbox)
            .WithName("ListOutbox")
            .WithSummary("List write-backs waiting, delivered or failed, newest first, with the counts per state")
            .ProducesValidationProblem();
        integrations.MapPost("/outbox/{id:long}/retry", RetryOutbox)
            .WithName("RetryOutboxMessage")
            .WithSummary("Deliver a failed write-back again")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/rules/evaluate", EvaluateRules)
            .WithTags("Rules")
            .WithName("EvaluateRules")
            .WithSummary("Dry run: classify a ticket and show which rules fire and, for a help-desk instance, the write-back it would get")
            .RequireScope(ApiScope.Admin)
            .WithValidation()
            .WithModelConcurrencyLimit();
        return app;
    }

    private static Ok<IReadOnlyList<IntegrationInstance>> ListInstances(HelpDeskRegistry registry) =>
        TypedResults.Ok<IReadOnlyList<IntegrationInstance>>(registry.Connectors
            .SelectMany(c => c.Instances.Select(i => new IntegrationInstance(
                c.HelpDesk, i.Name, i.Enabled, i.BaseUrl, i.ModelOrDefault, i.Heads, $"/integrations/{c.HelpDesk}/{i.Name}/webhook", i.Answers.SuggestReply, i.Answers.Summary)))
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
            return ValidationProblems.Create(errors);
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
        HelpDeskRegistry registry,
        TicketEventProcessor processor)
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

        var classification = TicketClassification.FromPrediction(outcome.Predictions[0], name, outcome.Model!.Version);
        var ticketEvent = new TicketEvent(connector?.HelpDesk ?? "none", settings?.Name ?? "none", "dry-run", "dry-run", ticket.Id ?? "0", ticket.Id, ticket.Subject, ticket.Body, null, null, []);
        var (evaluation, plan, messages) = processor.Preview(classification, ticketEvent, connector, settings);
        var preview = connector is null || settings is null || plan is null ? null : new WriteBackPreview(
            connector.HelpDesk,
            settings.Name,
            ChangesResponse.From(plan),
            plan.Skipped,
            messages.Select(m => new PlannedRequest(m.Target, m.Method, m.Path, m.Body, m.Description)).ToList());

        return TypedResults.Ok(new RulesEvaluationResponse(outcome.Responses[0], evaluation.Rules, evaluation.Actions, evaluation.Review, preview, evaluation.Warnings));
    }
}
