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
    public PredictionOutcome Predict(string model, IReadOnlyList<PredictRequest> tickets, int? topK)
    {
        var lookup = store.Acquire(model);
        if (lookup.Lease is not { } lease)
        {
            return new PredictionOutcome(lookup.Result, [], null, lookup.Error);
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

            var predictions = lease.Classifier.Predict(texts);
            var manifest = language.Describe(lease.Classifier.Manifest);
            var reference = new ModelReference(lease.Name, manifest.Version);
            var mapper = new PredictionMapper(manifest, topK ?? limits.DefaultTopK, limits.TagScoreFloor, limits.MaxTagScores);
            var responses = new PredictResponse[tickets.Count];
            for (var i = 0; i < tickets.Count; i++)
            {
                var prediction = predictions[i].With(language.Identify(texts[i]));
                responses[i] = mapper.ToResponse(prediction, reference, tickets[i].Id, truncated[i]);
            }

            metrics.Record(manifest, reference, responses);
            return new PredictionOutcome(ModelLookupResult.Ready, responses, reference, null);
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

/// <summary>Responses in request order when <see cref="Result"/> is <see cref="ModelLookupResult.Ready"/>; otherwise why the model could not answer.</summary>
public sealed record PredictionOutcome(ModelLookupResult Result, IReadOnlyList<PredictResponse> Responses, ModelReference? Model, string? Error);
