using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Api.Integrations;

/// <summary>Classifies help-desk tickets exactly as <c>POST /predict</c> does: the same model store, leases, truncation and rounding.</summary>
public sealed class ModelStoreClassifierProvider(PredictionService predictions, ModelStore store) : ITicketClassifierProvider
{
    public TicketClassification Classify(TicketText ticket, string? model)
    {
        var name = model ?? store.DefaultModel;
        var outcome = predictions.Predict(name, [new PredictRequest(ticket.Subject, ticket.Body)], topK: 1);
        return outcome.Result switch
        {
            ModelLookupResult.Ready => FromResponse(outcome.Responses[0]),
            ModelLookupResult.NotFound => TicketClassification.Failed(ClassificationStatus.NotFound, name, $"no model named '{name}' is served."),
            _ => TicketClassification.Failed(ClassificationStatus.Unavailable, name, outcome.Error ?? "it is still loading"),
        };
    }

    /// <summary>The classification behind a <c>/predict</c> response, so rules see what the response shows.</summary>
    public static TicketClassification FromResponse(PredictResponse response)
    {
        var heads = new Dictionary<string, HeadResult>(StringComparer.Ordinal);
        foreach (var (head, value) in response.Predictions)
        {
            var labels = value as IReadOnlyList<string> ?? [value.ToString() ?? string.Empty];
            heads[head] = new HeadResult(labels, value is not string, response.Confidence[head], response.NeedsReview[head]);
        }

        return new TicketClassification(ClassificationStatus.Ready, heads, response.Model.Name, response.Model.Version, null);
    }
}
