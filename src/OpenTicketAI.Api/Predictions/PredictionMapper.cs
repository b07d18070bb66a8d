using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Predictions;

/// <summary>Shapes a <see cref="TicketPrediction"/> into the documented response, heads in manifest order.</summary>
internal sealed class PredictionMapper(ModelManifest manifest, int topK, double tagScoreFloor, int maxTagScores)
{
    private const string TagsHead = "tags";
    private const int Decimals = 4;

    /// <summary><c>tagScores</c> lists the head named "tags", or else the model's first multi-label head.</summary>
    private readonly HeadSpec? _tagHead =
        manifest.Heads.FirstOrDefault(h => h.Kind == HeadKind.MultiLabel && string.Equals(h.Name, TagsHead, StringComparison.OrdinalIgnoreCase))
        ?? manifest.Heads.FirstOrDefault(h => h.Kind == HeadKind.MultiLabel);

    public PredictResponse ToResponse(TicketPrediction prediction, ModelReference model, string? id, bool truncated)
    {
        var labels = new Dictionary<string, object>(manifest.Heads.Count, StringComparer.Ordinal);
        var confidence = new Dictionary<string, double>(manifest.Heads.Count, StringComparer.Ordinal);
        var needsReview = new Dictionary<string, bool>(manifest.Heads.Count, StringComparer.Ordinal);
        var alternatives = new Dictionary<string, IReadOnlyList<ScoredLabel>>(manifest.Heads.Count, StringComparer.Ordinal);
        foreach (var head in manifest.Heads)
        {
            var result = prediction.Heads[head.Name];
            labels[head.Name] = head.Kind == HeadKind.SingleLabel ? result.Labels[0] : result.Labels.ToArray();
            confidence[head.Name] = Round(result.Confidence);
            needsReview[head.Name] = result.NeedsReview;
            alternatives[head.Name] = result.Scores.Take(topK).Select(s => new ScoredLabel(s.Label, Round(s.Score))).ToArray();
        }

        return new PredictResponse(labels, confidence, needsReview, alternatives, TagScores(prediction), model, id, truncated);
    }

    private Dictionary<string, double> TagScores(TicketPrediction prediction)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (_tagHead is null)
        {
            return scores;
        }

        var result = prediction.Heads[_tagHead.Name];
        foreach (var score in result.Scores)
        {
            var chosen = result.Labels.Contains(score.Label);
            if (chosen || (scores.Count < maxTagScores && score.Score >= tagScoreFloor))
            {
                scores[score.Label] = Round(score.Score);
            }
        }

        return scores;
    }

    private static double Round(float value) => Math.Round(value, Decimals);
}
