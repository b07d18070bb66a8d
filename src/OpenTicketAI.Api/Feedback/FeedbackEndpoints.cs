using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Feedback;

public static class FeedbackEndpoints
{
    /// <summary>How many of a head's labels a validation message lists.</summary>
    private const int ListedLabels = 30;

    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/feedback", RecordFeedback)
            .WithTags("Feedback")
            .RequireScope(ApiScope.Feedback)
            .WithValidation()
            .WithName("RecordFeedback")
            .WithSummary("Tell the service the correct label of one head for a ticket")
            .WithDescription("Confirms or corrects the latest prediction for the ticket (a different queue is a misroute). The latest feedback per ticket and head counts in GET /kpis. "
                + "The label must be one of the head's labels in the model that classified the ticket.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        app.MapGet("/kpis", GetKpis)
            .WithTags("Feedback")
            .RequireScope(ApiScope.Metrics)
            .WithName("GetKpis")
            .WithSummary("Live accuracy, misrouting, auto-applied share and response times for a time window")
            .WithDescription("Figures over the predictions made in [from, to): overall, per model version, and as a series of buckets. Defaults: the last 30 days in 1-day buckets. See docs/feedback.md for the definitions.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        return app;
    }

    private static async Task<Results<Ok<FeedbackOutcome>, ValidationProblem, ProblemHttpResult>> RecordFeedback(
        [FromBody] FeedbackRequest request, IFeedbackStore store, ModelStore models, TimeProvider time, CancellationToken cancellationToken)
    {
        var ticket = new TicketKey(request.Source ?? TicketKey.ApiSource, request.TicketId!);
        var prediction = await store.GetLatestPredictionAsync(ticket, cancellationToken);
        if (prediction is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Ticket not found.",
                detail: $"No prediction is stored for ticketId '{ticket.TicketId}' (source '{ticket.Source}'). Feedback needs a ticket classified with an id, e.g. POST /predict with \"id\": \"{ticket.TicketId}\".",
                extensions: new Dictionary<string, object?> { ["ticketId"] = ticket.TicketId, ["source"] = ticket.Source });
        }

        if (Check(request, prediction, models) is { } invalid)
        {
            return invalid;
        }

        var outcome = await store.RecordFeedbackAsync(
            new FeedbackRecord(ticket, request.Head!, request.Label!, request.Actor, request.At ?? time.GetUtcNow(), FeedbackOrigin.Api),
            cancellationToken);
        return TypedResults.Ok(outcome);
    }

    private static async Task<Results<Ok<KpiReport>, ValidationProblem>> GetKpis(
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? model, [FromQuery] string? bucket,
        IFeedbackStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = KpiParameters.Parse(from, to, model, bucket, time.GetUtcNow(), out var errors);
        if (query is null)
        {
            return Invalid(errors);
        }

        return TypedResults.Ok(await store.GetKpisAsync(query, cancellationToken));
    }

    /// <summary>The head and label must exist in the model that made the prediction, or else (no longer served) in the default model.</summary>
    private static ValidationProblem? Check(FeedbackRequest request, PredictionRecord prediction, ModelStore models)
    {
        var manifest = models.GetStatus(prediction.Model)?.Manifest ?? models.GetStatus(models.DefaultModel)?.Manifest;
        var heads = manifest?.Heads.Select(h => (h.Name, Labels: (IReadOnlyList<string>?)h.Labels)).ToList()
            ?? prediction.Heads.Select(h => (Name: h.Head, Labels: (IReadOnlyList<string>?)null)).ToList();
        var modelName = manifest is null ? $"{prediction.Model} {prediction.ModelVersion}" : $"{manifest.Name} {manifest.Version}";
        var head = heads.FirstOrDefault(h => h.Name == request.Head);
        if (head.Name is null)
        {
            return Invalid(new() { ["head"] = [$"'{request.Head}' is not a head of model {modelName}; its heads are {string.Join(", ", heads.Select(h => h.Name))}."] });
        }

        if (head.Labels is { } labels && !labels.Contains(request.Label!, StringComparer.Ordinal))
        {
            var listed = string.Join(", ", labels.Take(ListedLabels)) + (labels.Count > ListedLabels ? $" (and {labels.Count - ListedLabels} more)" : string.Empty);
            return Invalid(new() { ["label"] = [$"'{request.Label}' is not a label of head '{head.Name}' of model {modelName}; its labels are {listed}."] });
        }

        return null;
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        ValidationProblems.Create(errors);
}
