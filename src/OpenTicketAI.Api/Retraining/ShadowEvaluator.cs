using OpenTicketAI.Api.Versions;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Retraining;

/// <summary>Per-head accuracy of a candidate and of the active classifier on the same labelled tickets.</summary>
public static class ShadowEvaluator
{
    private const int BatchSize = 64;

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
        var activeHeads = active?.Manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel).Select(h => h.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var evaluated = rows.Where(r => heads.Any(r.Labels.ContainsKey)).ToList();
        var candidateHits = heads.ToDictionary(h => h, _ => 0, StringComparer.Ordinal);
        var activeHits = heads.ToDictionary(h => h, _ => 0, StringComparer.Ordinal);
        var counts = heads.ToDictionary(h => h, _ => 0, StringComparer.Ordinal);

        foreach (var batch in evaluated.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var texts = batch.Select(r => r.Text).ToList();
            var fromCandidate = candidate.Predict(texts);
            var fromActive = active?.Predict(texts);
            for (var i = 0; i < batch.Length; i++)
            {
                foreach (var head in heads)
                {
                    if (!batch[i].Labels.TryGetValue(head, out var truth))
                    {
                        continue;
                    }

                    counts[head]++;
                    candidateHits[head] += fromCandidate[i].Heads[head].Label == truth ? 1 : 0;
                    if (fromActive is not null && activeHeads.Contains(head))
                    {
                        activeHits[head] += fromActive[i].Heads[head].Label == truth ? 1 : 0;
                    }
                }
            }
        }

        var results = heads
            .Where(h => counts[h] > 0)
            .ToDictionary(
                h => h,
                h => new ShadowHeadResult(
                    counts[h],
                    Math.Round((double)candidateHits[h] / counts[h], 4),
                    activeHeads.Contains(h) ? Math.Round((double)activeHits[h] / counts[h], 4) : null),
                StringComparer.Ordinal);
        return new ShadowEvaluation(at, source, evaluated.Count, activeVersion, results);
    }
}
