using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>
/// Classifies with one loaded <see cref="TicketClassifier"/>, for hosts without the service's model store (workers, tests);
/// with a <see cref="LanguageIdentifier"/>, <c>language</c> comes from it as in the service.
/// </summary>
public sealed class DirectClassifierProvider(TicketClassifier classifier, string name, LanguageIdentifier? language = null) : ITicketClassifierProvider
{
    public TicketClassification Classify(TicketText ticket, string? model)
    {
        if (model is not null && !string.Equals(model, name, StringComparison.Ordinal))
        {
            return TicketClassification.Failed(ClassificationStatus.NotFound, model, $"only model '{name}' is loaded.");
        }

        var prediction = classifier.Predict(ticket);
        return TicketClassification.FromPrediction(language is null ? prediction : prediction.With(language.Identify(ticket)), name, classifier.Manifest.Version);
    }
}
