using System.Globalization;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>A labelled validation query: a hit is right when its queue equals <see cref="Label"/>.</summary>
public sealed record ValidationQuery(KnowledgeQuery Query, string Label);

/// <summary>Precision at 1 and mean reciprocal rank within the top 10 over validation queries.</summary>
public sealed record RetrievalQuality(double PrecisionAt1, double MrrAt10, int Queries)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"P@1 {PrecisionAt1:0.000}, MRR@10 {MrrAt10:0.000} ({Queries} queries)");
}

/// <summary>The settings chosen and the quality of each retrieval mode on the same validation queries.</summary>
public sealed record TuningResult(FusionSettings Settings, RetrievalQuality Tuned, RetrievalQuality Lexical, RetrievalQuality Dense, RetrievalQuality Untuned);

/// <summary>
/// Chooses <see cref="FusionSettings.DenseWeight"/>, <see cref="FusionSettings.ConsensusWeight"/> and its depth by grid search for the
/// best P@1 (then MRR@10) on validation queries: given labelled queries, or leave-one-out over the collection's own
/// documents that have a queue (each asks with its own text, itself excluded).
/// </summary>
public static class FusionTuner
{
    private static readonly double[] DenseWeights = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1];
    private static readonly double[] ConsensusWeights = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0];
    private static readonly int[] ConsensusDepths = [5, 10, 20, 40];

    /// <summary>Fused score of each candidate (see <see cref="FusionSettings"/>).</summary>
    internal static double[] Score(IReadOnlyList<KnowledgeIndex.Candidate> candidates, RetrievalMode mode, FusionSettings fusion)
    {
        var scores = new double[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            scores[i] = mode switch
            {
                RetrievalMode.Lexical => c.Lexical,
                RetrievalMode.Dense => c.Cosine ?? 0,
                _ => (fusion.DenseWeight * (c.Cosine ?? c.Lexical)) + ((1 - fusion.DenseWeight) * c.Lexical),
            };
        }

        if (fusion.ConsensusWeight <= 0 || candidates.Count == 0)
        {
            return scores;
        }

        var top = Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).Take(fusion.ConsensusDepth).ToList();
        var total = top.Sum(i => Math.Max(0, scores[i]));
        if (total <= 0)
        {
            return scores;
        }

        var byQueue = top.Where(i => candidates[i].Queue is not null)
            .GroupBy(i => candidates[i].Queue!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(i => Math.Max(0, scores[i])) / total, StringComparer.Ordinal);
        var result = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            var share = candidates[i].Queue is { } queue ? byQueue.GetValueOrDefault(queue) : 0;
            result[i] = scores[i] + (fusion.ConsensusWeight * share);
        }

        return result;
    }

    /// <summary>Leave-one-out queries: up to <paramref name="max"/> documents with a queue, chosen with a fixed seed.</summary>
    public static IReadOnlyList<ValidationQuery> LeaveOneOut(KnowledgeIndex collection, int max = 1000, int seed = 42)
    {
        var labelled = collection.Documents().Where(d => d.Queue is not null).ToList();
        var random = new Random(seed);
        return labelled.OrderBy(_ => random.Next()).Take(max)
            .Select(d => new ValidationQuery(new KnowledgeQuery { Subject = d.Title, Body = d.Body, Language = d.Language, ExcludeId = d.Id, KeepDuplicates = true }, d.Queue!))
            .ToList();
    }

    public static TuningResult Tune(KnowledgeIndex collection, IReadOnlyList<ValidationQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(queries);
        var current = collection.Manifest.Fusion;
        var prepared = new List<(IReadOnlyList<KnowledgeIndex.Candidate> Candidates, RetrievalMode Mode, string Label)>(queries.Count);
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var embedding = collection.EmbedQuery(query.Query);
            prepared.Add((collection.Candidates(query.Query, embedding, current.Candidates), embedding is null ? RetrievalMode.Lexical : RetrievalMode.Fused, query.Label));
        }

        RetrievalQuality Measure(RetrievalMode? mode, FusionSettings settings)
        {
            double hits = 0, reciprocal = 0;
            foreach (var (candidates, queryMode, label) in prepared)
            {
                var scores = Score(candidates, mode ?? queryMode, settings);
                var ranked = Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).Take(10).ToList();
                var rank = ranked.FindIndex(i => candidates[i].Queue == label);
                hits += rank == 0 ? 1 : 0;
                reciprocal += rank >= 0 ? 1.0 / (rank + 1) : 0;
            }

            return prepared.Count == 0 ? new RetrievalQuality(0, 0, 0) : new RetrievalQuality(hits / prepared.Count, reciprocal / prepared.Count, prepared.Count);
        }

        var best = current;
        var bestQuality = Measure(null, current);
        var untuned = bestQuality;
        foreach (var dense in DenseWeights)
        {
            foreach (var consensus in ConsensusWeights)
            {
                foreach (var depth in consensus == 0 ? [current.ConsensusDepth] : ConsensusDepths)
                {
                    var settings = current with { DenseWeight = dense, ConsensusWeight = consensus, ConsensusDepth = depth };
                    var quality = Measure(null, settings);
                    if (quality.PrecisionAt1 > bestQuality.PrecisionAt1 + 1e-9
                        || (Math.Abs(quality.PrecisionAt1 - bestQuality.PrecisionAt1) < 1e-9 && quality.MrrAt10 > bestQuality.MrrAt10 + 1e-9))
                    {
                        (best, bestQuality) = (settings, quality);
                    }
                }
            }
        }

        var lexical = Measure(RetrievalMode.Lexical, current with { ConsensusWeight = 0 });
        var denseOnly = Measure(RetrievalMode.Dense, current with { ConsensusWeight = 0 });
        best = best with { TunedOn = $"{queries.Count} validation queries: {bestQuality} (untuned {untuned})" };
        return new TuningResult(best, bestQuality, lexical, denseOnly, untuned);
    }
}
