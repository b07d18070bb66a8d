using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Learning;

/// <summary>A head as the trainer sees it: its labels in output order and how a row's labels become target indices.</summary>
internal sealed class HeadLayout
{
    private const float MaxPositiveWeight = 10f;

    private readonly Dictionary<string, int> _index;

    private HeadLayout(HeadDefinition definition, string output, string[] labels, int[] counts)
    {
        Definition = definition;
        Output = output;
        Labels = labels;
        Counts = counts;
        _index = labels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
    }

    public HeadDefinition Definition { get; }

    public string Name => Definition.Name;

    public HeadKind Kind => Definition.Kind;

    public string Output { get; }

    public string[] Labels { get; }

    /// <summary>Rows per label over the whole set (for a multi-label head: rows that have the label).</summary>
    public int[] Counts { get; }

    public static HeadLayout[] Build(TrainingSet set)
    {
        if (set.Heads.Count == 0)
        {
            throw new InvalidOperationException("The training set declares no heads; there is nothing to train.");
        }

        var duplicate = set.Heads.GroupBy(h => h.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Head '{duplicate.Key}' is declared more than once.");
        }

        var outputs = OutputNames.Assign(set.Heads.Select(h => h.Name));
        return set.Heads.Select((definition, h) => Build(definition, outputs[h], set.Rows)).ToArray();
    }

    private static HeadLayout Build(HeadDefinition definition, string output, IReadOnlyList<LabeledTicket> rows)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var carried = 0;
        foreach (var row in rows)
        {
            if (LabelsOf(definition, row) is not { } labels)
            {
                continue;
            }

            carried++;
            foreach (var label in labels)
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }

        if (carried == 0)
        {
            throw new InvalidOperationException($"No row carries head '{definition.Name}'; remove the head or add labelled rows.");
        }

        var minimum = definition.Kind == HeadKind.SingleLabel ? 2 : 1;
        if (counts.Count < minimum)
        {
            throw new InvalidOperationException(
                $"Head '{definition.Name}' has {counts.Count} label(s) ({string.Join(", ", counts.Keys)}); a {definition.Kind} head needs at least {minimum}.");
        }

        return new HeadLayout(definition, output, [.. counts.Keys], [.. counts.Values]);
    }

    public bool Carries(LabeledTicket row) => LabelsOf(Definition, row) is not null;

    /// <summary>The row's target label indices, or null when the row does not carry this head.</summary>
    public int[]? Encode(LabeledTicket row) => LabelsOf(Definition, row)?.Select(label => _index[label]).Order().ToArray();

    /// <summary>
    /// Like <see cref="Encode"/> for rows from outside the training set: a single label the head never trained on leaves
    /// the row without this head; unknown tags are left out.
    /// </summary>
    public int[]? EncodeKnown(LabeledTicket row)
    {
        if (LabelsOf(Definition, row) is not { } labels)
        {
            return null;
        }

        var known = labels.Where(_index.ContainsKey).Select(label => _index[label]).Order().ToArray();
        return Kind == HeadKind.SingleLabel && known.Length == 0 ? null : known;
    }

    /// <summary>
    /// Single-label: a weight per class, (inverse frequency)^exponent, normalised to a mean of 1 over the rows.
    /// Multi-label: a weight per label for its positive rows, (negatives / positives)^exponent, capped.
    /// </summary>
    public float[] ClassWeights(IEnumerable<int[]?> trainTargets, double exponent)
    {
        var counts = new int[Labels.Length];
        var rows = 0;
        foreach (var targets in trainTargets.OfType<int[]>())
        {
            rows++;
            foreach (var label in targets)
            {
                counts[label]++;
            }
        }

        if (Kind == HeadKind.MultiLabel)
        {
            return counts.Select(positives => Math.Clamp((float)Math.Pow((rows - positives) / (double)Math.Max(positives, 1), exponent), 1f, MaxPositiveWeight)).ToArray();
        }

        var raw = counts.Select(n => Math.Pow(rows / ((double)Labels.Length * Math.Max(n, 1)), exponent)).ToArray();
        var scale = rows / Math.Max(counts.Select((n, c) => n * raw[c]).Sum(), double.Epsilon);
        return raw.Select(w => (float)(w * scale)).ToArray();
    }

    /// <summary>
    /// The mean class-weighted loss per row of the best constant prediction (the label frequencies, tilted by the
    /// weights): what the head's loss is at when it has learnt nothing from the text. 1 when that is (close to) 0.
    /// </summary>
    public double PriorLoss(IEnumerable<int[]?> trainTargets, float[] classWeights)
    {
        var counts = new double[Labels.Length];
        var rows = 0;
        foreach (var targets in trainTargets.OfType<int[]>())
        {
            rows++;
            foreach (var label in targets)
            {
                counts[label]++;
            }
        }

        var loss = 0.0;
        if (rows > 0 && Kind == HeadKind.SingleLabel)
        {
            var mass = counts.Select((n, c) => n * classWeights[c]).Sum();
            for (var c = 0; c < counts.Length; c++)
            {
                var weighted = counts[c] * classWeights[c];
                loss -= weighted > 0 ? weighted / rows * Math.Log(weighted / mass) : 0;
            }
        }
        else if (rows > 0)
        {
            for (var k = 0; k < counts.Length; k++)
            {
                var positive = counts[k] / rows * classWeights[k];
                var negative = 1 - (counts[k] / rows);
                var q = positive / (positive + negative);
                loss -= (positive > 0 ? positive * Math.Log(q) : 0) + (negative > 0 ? negative * Math.Log(1 - q) : 0);
            }
        }

        return loss > 1e-6 && double.IsFinite(loss) ? loss : 1;
    }

    private static IEnumerable<string>? LabelsOf(HeadDefinition head, LabeledTicket row)
    {
        if (head.Kind == HeadKind.SingleLabel)
        {
            return row.Labels.TryGetValue(head.Name, out var label) && !string.IsNullOrWhiteSpace(label) ? [label] : null;
        }

        return row.MultiLabels.TryGetValue(head.Name, out var labels) && labels is not null
            ? labels.Where(l => !string.IsNullOrWhiteSpace(l)).Distinct(StringComparer.Ordinal)
            : null;
    }
}

/// <summary>A featurized row with, per head, its target label indices (null when the row does not carry the head).</summary>
/// <summary>A training row as the network sees it: n-gram features, the encoder embedding (null without an encoder) and per-head targets.</summary>
internal sealed record EncodedRow(Core.Features.SparseFeatures Features, int[]?[] Targets, float[]? Embedding = null);
