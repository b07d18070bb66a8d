using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Metrics;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;

namespace OpenTicketAI.Api.Predictions;

/// <summary>
/// Classifies validated tickets with one lease on the named model, so a reload during the call cannot dispose the
/// classifier in use. <c>language</c> comes from the <see cref="LanguageIdentifier"/> for every model: it replaces the
/// output of a model's own language head (measured less accurate, docs/benchmarks.md) and is added to models without one.
/// </summary>
public sealed class PredictionService(ModelStore store, IOptions<PredictOptions> options, PredictionMetrics metrics, LanguageIdentifier language)
{
    /// <param name="recordMetrics">False for a prediction no client asked for (the Swagger example), so the metrics count only real traffic.</param>
    public PredictionOutcome Predict(string model, IReadOnlyList<PredictRequest> tickets, int? topK, bool recordMetrics = true)
    {
        var lookup = store.Acquire(model);
        if (lookup.Lease is not { } lease)
        {
            return new PredictionOutcome(lookup.Result, [], [], null, lookup.Error);
        }

        using (lease)
        {
            var limits = options.Value;
            var texts = new TicketText[tickets.Count];
            var truncated = new bool[tickets.Count];
            for (var i = 0; i < tickets.Count; i++)
            {
                (texts[i], truncated[i]) = ToText(tickets[i], limits);
            }

            var predictions = lease.Classifier.Predict(texts).Select((prediction, i) => prediction.With(language.Identify(texts[i]))).ToArray();
            var manifest = language.Describe(lease.Classifier.Manifest);
            var reference = new ModelReference(lease.Name, manifest.Version);
            var mapper = new PredictionMapper(manifest, topK ?? limits.DefaultTopK, limits.TagScoreFloor, limits.MaxTagScores);
            var responses = new PredictResponse[tickets.Count];
            for (var i = 0; i < tickets.Count; i++)
            {
                responses[i] = mapper.ToResponse(predictions[i], reference, tickets[i].Id, truncated[i]);
            }

            if (recordMetrics)
            {
                metrics.Record(manifest, reference, responses);
            }

            return new PredictionOutcome(ModelLookupResult.Ready, responses, predictions, reference, null);
        }
    }

    private static (TicketText Text, bool Truncated) ToText(PredictRequest ticket, PredictOptions limits)
    {
        var body = ticket.Body;
        if (body is null || body.Length <= limits.MaxBodyChars)
        {
            return (new TicketText(ticket.Subject, body), false);
        }

        var length = limits.MaxBodyChars;
        if (char.IsHighSurrogate(body[length - 1]))
        {
            length--;
        }

        return (new TicketText(ticket.Subject, body[..length]), true);
    }
}

/// <summary>
/// Responses in request order when <see cref="Result"/> is <see cref="ModelLookupResult.Ready"/>, with the model's own
/// <see cref="Predictions"/> behind them; otherwise why the model could not answer.
/// </summary>
public sealed record PredictionOutcome(ModelLookupResult Result, IReadOnlyList<PredictResponse> Responses, IReadOnlyList<TicketPrediction> Predictions, ModelReference? Model, string? Error);
