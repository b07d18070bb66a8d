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
            ModelLookupResult.Ready => TicketClassification.FromPrediction(outcome.Predictions[0], name, outcome.Model!.Version),
            ModelLookupResult.NotFound => TicketClassification.Failed(ClassificationStatus.NotFound, name, $"no model named '{name}' is served."),
            _ => TicketClassification.Failed(ClassificationStatus.Unavailable, name, outcome.Error ?? "it is still loading"),
        };
    }

}
