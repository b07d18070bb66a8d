using OpenTicketAI.Api.Versions;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;

namespace OpenTicketAI.Api.Retraining;

/// <summary>Per-head accuracy of a candidate and of the active classifier on the same labelled tickets.</summary>
public static class ShadowEvaluator
{
    public static ShadowEvaluation Evaluate(
        TicketClassifier candidate,
        TicketClassifier? active,
        string? activeVersion,
        IReadOnlyList<LabeledTicket> rows,
        ShadowSource source,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var heads = candidate.Manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel).Select(h => h.Name).ToList();
        var evaluated = rows.Where(r => heads.Any(r.Labels.ContainsKey)).ToList();
        var fromCandidate = ModelEvaluator.Evaluate(candidate, evaluated, cancellationToken: cancellationToken).SingleLabelHeads;
        var fromActive = active is null
            ? []
            : ModelEvaluator.Evaluate(active, evaluated, cancellationToken: cancellationToken).SingleLabelHeads.ToDictionary(h => h.Head, StringComparer.Ordinal);
        var results = fromCandidate.ToDictionary(
            h => h.Head,
            h => new ShadowHeadResult(h.Rows, Math.Round(h.Accuracy, 4), fromActive.TryGetValue(h.Head, out var old) ? Math.Round(old.Accuracy, 4) : null),
            StringComparer.Ordinal);
        return new ShadowEvaluation(at, source, evaluated.Count, activeVersion, results);
    }
}
