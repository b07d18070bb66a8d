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
        var fromCandidate = ModelEvaluator.Evaluate(candidate, InTaxonomyOf(candidate.Manifest, evaluated), cancellationToken: cancellationToken).SingleLabelHeads;
        var fromActive = active is null
            ? []
            : ModelEvaluator.Evaluate(active, InTaxonomyOf(active.Manifest, evaluated), cancellationToken: cancellationToken).SingleLabelHeads.ToDictionary(h => h.Head, StringComparer.Ordinal);
        var results = fromCandidate.ToDictionary(
            h => h.Head,
            h => new ShadowHeadResult(h.Rows, Math.Round(h.Accuracy, 4), fromActive.TryGetValue(h.Head, out var old) ? Math.Round(old.Accuracy, 4) : null),
            StringComparer.Ordinal);
        var changes = active is null ? HeadChanges.None : HeadChanges.Between(active.Manifest, candidate.Manifest);
        return new ShadowEvaluation(at, source, evaluated.Count, activeVersion, results) { AddedHeads = changes.Added, DroppedHeads = changes.Dropped };
    }

    /// <summary>
    /// The rows' labels spelled as the model spells them where they differ only in case (<c>high</c> → <c>High</c>), the way
    /// label mappings compare, so a model is not scored 0 for a taxonomy written in another case.
    /// </summary>
    public static IReadOnlyList<LabeledTicket> InTaxonomyOf(ModelManifest manifest, IReadOnlyList<LabeledTicket> rows)
    {
        var spellings = manifest.Heads
            .Where(h => h.Kind == HeadKind.SingleLabel)
            .ToDictionary(h => h.Name, h => h.Labels.DistinctBy(l => l, StringComparer.OrdinalIgnoreCase).ToDictionary(l => l, StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
        return rows.Select(row => row with
        {
            Labels = row.Labels.ToDictionary(
                l => l.Key,
                l => spellings.TryGetValue(l.Key, out var labels) && labels.TryGetValue(l.Value, out var label) ? label : l.Value,
                StringComparer.Ordinal),
        }).ToList();
    }
}
