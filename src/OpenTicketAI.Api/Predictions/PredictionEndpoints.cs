using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenTicketAI.Api.Feedback;
using OpenTicketAI.Api.Limits;
using OpenTicketAI.Api.Logging;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Security;
using Serilog;
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Predictions;

public static class PredictionEndpoints
{
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        var byDefault = app.MapGroup("/predict")
            .WithTags("Predictions")
            .RequireScope(ApiScope.Predict)
            .WithValidation()
            .WithModelConcurrencyLimit()
            .WithPredictionRecording();
        byDefault.MapPost(string.Empty, PredictWithDefault)
            .WithName("Predict")
            .WithSummary("Classify one ticket with the default model")
            .WithDescription("Returns per head the predicted label(s), confidence, whether a human should review it, and the top-K alternatives.")
            .ProducesPredictionErrors();
        byDefault.MapPost("/batch", PredictBatchWithDefault)
            .WithName("PredictBatch")
            .WithSummary("Classify several tickets with the default model")
            .ProducesPredictionErrors();

        var byName = app.MapGroup("/models/{name}/predict")
            .WithTags("Predictions")
            .RequireScope(ApiScope.Predict)
            .AddEndpointFilter<ModelNameFilter>()
            .WithValidation()
            .WithModelConcurrencyLimit()
            .WithPredictionRecording();
        byName.MapPost(string.Empty, PredictWithModel)
            .WithName("PredictWithModel")
            .WithSummary("Classify one ticket with a named model")
            .ProducesPredictionErrors(namedModel: true);
        byName.MapPost("/batch", PredictBatchWithModel)
            .WithName("PredictBatchWithModel")
            .WithSummary("Classify several tickets with a named model")
            .ProducesPredictionErrors(namedModel: true);

        return app;
    }

    private static Results<Ok<PredictResponse>, ProblemHttpResult> PredictWithDefault(
        [FromBody] PredictRequest ticket, [AsParameters] PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log) =>
        PredictOne(store.DefaultModel, ticket, query, predictions, store, log);

    private static Results<Ok<PredictResponse>, ProblemHttpResult> PredictWithModel(
        string name, [FromBody] PredictRequest ticket, [AsParameters] PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log) =>
        PredictOne(name, ticket, query, predictions, store, log);

    private static Results<Ok<BatchPredictResponse>, ProblemHttpResult> PredictBatchWithDefault(
        [FromBody] BatchPredictRequest batch, [AsParameters] PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log) =>
        PredictMany(store.DefaultModel, batch, query, predictions, store, log);

    private static Results<Ok<BatchPredictResponse>, ProblemHttpResult> PredictBatchWithModel(
        string name, [FromBody] BatchPredictRequest batch, [AsParameters] PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log) =>
        PredictMany(name, batch, query, predictions, store, log);

    private static Results<Ok<PredictResponse>, ProblemHttpResult> PredictOne(
        string model, PredictRequest ticket, PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log)
    {
        log.Set(RequestLogProperties.SubjectLength, ticket.Subject?.Length ?? 0);
        log.Set(RequestLogProperties.BodyLength, ticket.Body?.Length ?? 0);
        log.Set(RequestLogProperties.TicketId, ticket.Id);
        var outcome = predictions.Predict(model, [ticket], query.TopK);
        LogModel(log, model, outcome);
        if (outcome.Result != ModelLookupResult.Ready)
        {
            return Problem(model, outcome, store);
        }

        log.Set(RequestLogProperties.Truncated, outcome.Responses[0].Truncated);
        return TypedResults.Ok(outcome.Responses[0]);
    }

    private static Results<Ok<BatchPredictResponse>, ProblemHttpResult> PredictMany(
        string model, BatchPredictRequest batch, PredictQuery query, PredictionService predictions, ModelStore store, IDiagnosticContext log)
    {
        var tickets = batch.Tickets!.Select(t => t!).ToList();
        log.Set(RequestLogProperties.TicketCount, tickets.Count);
        log.Set(RequestLogProperties.TicketIds, tickets.Select(t => t.Id).ToArray());
        log.Set(RequestLogProperties.SubjectLength, tickets.Sum(t => t.Subject?.Length ?? 0));
        log.Set(RequestLogProperties.BodyLength, tickets.Sum(t => t.Body?.Length ?? 0));
        var outcome = predictions.Predict(model, tickets, query.TopK);
        LogModel(log, model, outcome);
        return outcome.Result == ModelLookupResult.Ready
            ? TypedResults.Ok(new BatchPredictResponse(outcome.Responses))
            : Problem(model, outcome, store);
    }

    private static void LogModel(IDiagnosticContext log, string model, PredictionOutcome outcome)
    {
        log.Set(RequestLogProperties.ModelName, model);
        log.Set(RequestLogProperties.ModelVersion, outcome.Model?.Version);
    }

    private static ProblemHttpResult Problem(string model, PredictionOutcome outcome, ModelStore store) =>
        outcome.Result == ModelLookupResult.NotFound && model != store.DefaultModel
            ? ModelProblems.NotFound(model, store)
            : ModelProblems.Unavailable(model, outcome.Error ?? $"no directory '{model}' holding a model.json has been found in the models directory.");

    private static RouteHandlerBuilder ProducesPredictionErrors(this RouteHandlerBuilder builder, bool namedModel = false)
    {
        builder.ProducesValidationProblem();
        if (namedModel)
        {
            builder.ProducesProblem(StatusCodes.Status404NotFound);
        }

        return builder
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
    }
}
