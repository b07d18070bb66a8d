using System.Text.Json;

namespace OpenTicketAI.Feedback.Kpis;

/// <summary>
/// Turns the rows the store read for a window into figures, exactly as <see cref="KpiReport"/> defines them. A head's
/// prediction is correct when its latest feedback label is among the predicted labels (for a single-label head: equal).
/// </summary>
internal static class KpiCalculator
{
    public static KpiReport Build(KpiQuery query, string queueHead, KpiData data)
    {
        var judged = data.Judged.Select(Judgement.From).ToList();
        var bucketMs = (long)query.Bucket.TotalMilliseconds;
        var overall = Figures(query.Model, null, data.Volumes, data.Routed, judged, data.Tickets, queueHead);

        var versions = data.Volumes
            .GroupBy(v => (v.Model, v.ModelVersion))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Min(v => v.Bucket))
            .ThenBy(g => g.Key.ModelVersion, StringComparer.Ordinal)
            .Select(g => Figures(
                g.Key.Model,
                g.Key.ModelVersion,
                g.ToList(),
                data.Routed.Where(r => r.Model == g.Key.Model && r.ModelVersion == g.Key.ModelVersion).ToList(),
                judged.Where(j => j.Model == g.Key.Model && j.ModelVersion == g.Key.ModelVersion).ToList(),
                data.Tickets.Where(t => t.Model == g.Key.Model && t.ModelVersion == g.Key.ModelVersion).ToList(),
                queueHead))
            .ToList();

        var buckets = (int)Math.Ceiling((query.To - query.From).TotalMilliseconds / bucketMs);
        var volumes = data.Volumes.GroupBy(v => v.Bucket).ToDictionary(g => g.Key, g => (Predictions: g.Sum(v => v.Predictions), AutoApplied: g.Sum(v => v.AutoApplied)));
        var routed = data.Routed.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.Sum(r => r.Routed));
        var judgedByBucket = judged.GroupBy(j => j.Bucket).ToDictionary(g => g.Key, g => g.ToList());
        var ticketsByBucket = DistinctTickets(data.Tickets)
            .GroupBy(t => (t.FirstInWindow - query.From.ToUnixTimeMilliseconds()) / bucketMs)
            .ToDictionary(g => g.Key, g => g.ToList());
        var series = new List<KpiPoint>(buckets);
        for (long bucket = 0; bucket < buckets; bucket++)
        {
            var (predictions, autoApplied) = volumes.GetValueOrDefault(bucket);
            var inBucket = judgedByBucket.GetValueOrDefault(bucket) ?? [];
            var queue = inBucket.Where(j => j.Head == queueHead).ToList();
            var routedHere = routed.GetValueOrDefault(bucket);
            series.Add(new KpiPoint(
                query.From + (query.Bucket * bucket),
                predictions,
                autoApplied,
                inBucket.Where(j => !j.Correct).Select(j => j.PredictionId).Distinct().LongCount(),
                Ratio(queue.Count(j => j.Correct), queue.Count),
                Ratio(queue.Count(j => !j.Correct), routedHere),
                Median(ticketsByBucket.GetValueOrDefault(bucket)?.Select(t => t.FirstResponseSeconds) ?? [])));
        }

        return new KpiReport(query.From, query.To, query.Model, overall, versions, series);
    }

    private static KpiFigures Figures(
        string? model,
        string? version,
        IReadOnlyList<KpiVolumeRow> volumes,
        IReadOnlyList<KpiRoutedRow> routed,
        IReadOnlyList<Judgement> judged,
        IReadOnlyList<KpiTicketRow> tickets,
        string queueHead)
    {
        var predictions = volumes.Sum(v => v.Predictions);
        var autoApplied = volumes.Sum(v => v.AutoApplied);

        var heads = judged
            .GroupBy(j => j.Head)
            .Select(g => Head(g.Key, g.ToList()))
            .ToList();
        if (routed.Count > 0 && heads.All(h => h.Head != queueHead))
        {
            heads.Add(new HeadKpi(queueHead, 0, 0, null, null));
        }

        var misrouted = judged
            .Where(j => j.Head == queueHead && !j.Correct)
            .GroupBy(j => j.Label ?? string.Empty)
            .ToDictionary(g => g.Key, g => g.LongCount());
        var queues = routed
            .GroupBy(r => r.Queue ?? string.Empty)
            .Select(g =>
            {
                var count = g.Sum(r => r.Routed);
                var wrong = misrouted.GetValueOrDefault(g.Key);
                return new QueueMisrouting(g.Key, count, wrong, Ratio(wrong, count));
            })
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToList();

        var durations = DistinctTickets(tickets);
        return new KpiFigures(
            model,
            version,
            predictions,
            autoApplied,
            predictions - autoApplied,
            Ratio(autoApplied, predictions),
            heads.OrderBy(h => h.Head, StringComparer.Ordinal).ToList(),
            queues,
            Median(durations.Select(t => t.FirstResponseSeconds)),
            Median(durations.Select(t => t.ResolutionSeconds)));
    }

    private static HeadKpi Head(string head, IReadOnlyList<Judgement> judged)
    {
        var correct = judged.LongCount(j => j.Correct);
        var labels = judged.Select(j => j.Predicted).Concat(judged.Select(j => j.CorrectLabel)).Distinct(StringComparer.Ordinal).ToList();
        var f1 = labels.Select(label =>
        {
            var truePositives = judged.Count(j => j.Predicted == label && j.CorrectLabel == label);
            var falsePositives = judged.Count(j => j.Predicted == label && j.CorrectLabel != label);
            var falseNegatives = judged.Count(j => j.Predicted != label && j.CorrectLabel == label);
            return 2.0 * truePositives / ((2.0 * truePositives) + falsePositives + falseNegatives);
        });
        return new HeadKpi(head, judged.Count, correct, Ratio(correct, judged.Count), judged.Count == 0 ? null : f1.Average());
    }

    /// <summary>A ticket predicted by several versions counts once, from its first prediction in the window.</summary>
    private static List<TicketTimes> DistinctTickets(IEnumerable<KpiTicketRow> tickets) =>
        tickets
            .GroupBy(t => (t.Source, t.TicketId))
            .Select(g => g.MinBy(t => t.FirstInWindow)!)
            .Select(t => new TicketTimes(t.FirstInWindow, t.CreatedAt ?? t.FirstPrediction, t.FirstReplyAt, t.ResolvedAt))
            .ToList();

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private sealed record Judgement(long PredictionId, string Model, string ModelVersion, long Bucket, string Head, string? Label, string Predicted, string CorrectLabel, bool Correct)
    {
        public static Judgement From(KpiJudgedRow row)
        {
            var labels = JsonSerializer.Deserialize<string[]>(row.Labels) ?? [];
            var correct = labels.Contains(row.Correct, StringComparer.Ordinal);
            // For F1 a multi-label head's prediction counts as the confirmed label when it was among the predicted ones.
            var predicted = correct ? row.Correct : row.Label ?? string.Empty;
            return new Judgement(row.PredictionId, row.Model, row.ModelVersion, row.Bucket, row.Head, row.Label, predicted, row.Correct, correct);
        }
    }

    /// <summary>Times in Unix milliseconds; durations that would be negative (an event before the start) count as zero.</summary>
    private sealed record TicketTimes(long FirstInWindow, long Start, long? FirstReplyAt, long? ResolvedAt)
    {
        public double? FirstResponseSeconds => FirstReplyAt is { } reply ? Math.Max(0, reply - Start) / 1000.0 : null;

        public double? ResolutionSeconds => ResolvedAt is { } resolved ? Math.Max(0, resolved - Start) / 1000.0 : null;
    }
}
