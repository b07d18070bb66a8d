using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>Classifies with one loaded <see cref="TicketClassifier"/>, for hosts without the service's model store (workers, tests).</summary>
public sealed class DirectClassifierProvider(TicketClassifier classifier, string name) : ITicketClassifierProvider
{
    public TicketClassification Classify(TicketText ticket, string? model)
    {
        if (model is not null && !string.Equals(model, name, StringComparison.Ordinal))
        {
            return TicketClassification.Failed(ClassificationStatus.NotFound, model, $"only model '{name}' is loaded.");
        }

        return TicketClassification.FromPrediction(classifier.Predict(ticket), name, classifier.Manifest.Version);
    }
}
