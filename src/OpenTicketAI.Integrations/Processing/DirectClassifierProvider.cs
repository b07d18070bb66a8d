using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>
/// Classifies with one loaded <see cref="TicketClassifier"/>, for hosts without the service's model store (workers, tests);
/// with a <see cref="LanguageIdentifier"/>, <c>language</c> comes from it as in the service.
/// </summary>
public sealed class DirectClassifierProvider(TicketClassifier classifier, string name, LanguageIdentifier? language = null) : ITicketClassifierProvider
{
    private const int Decimals = 4;

    public TicketClassification Classify(TicketText ticket, string? model)
    {
        if (model is not null && !string.Equals(model, name, StringComparison.Ordinal))
        {
            return TicketClassification.Failed(ClassificationStatus.NotFound, model, $"only model '{name}' is loaded.");
        }

        var prediction = classifier.Predict(ticket);
        return FromPrediction(language is null ? prediction : prediction.With(language.Identify(ticket)), name, classifier.Manifest.Version);
    }

    /// <summary>A classification from the core prediction, confidences rounded as the REST API shows them.</summary>
    public static TicketClassification FromPrediction(TicketPrediction prediction, string model, string version)
    {
        var heads = prediction.Heads.ToDictionary(
            h => h.Key,
            h => new HeadResult(h.Value.Labels, h.Value.Kind == HeadKind.MultiLabel, Math.Round(h.Value.Confidence, Decimals), h.Value.NeedsReview),
            StringComparer.Ordinal);
        return new TicketClassification(ClassificationStatus.Ready, heads, model, version, null);
    }
}
