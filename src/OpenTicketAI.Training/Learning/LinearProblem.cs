using System.Numerics.Tensors;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Rows as the linear path sees them: per row the n-gram ids mapped onto the buckets the training rows use (ascending),
/// their idf-weighted L2-normalised values, and the encoder embedding (null without an encoder).
/// </summary>
internal sealed record LinearRows(int[] Used, int[][] Ids, float[][] Values, float[]?[] Embeddings)
{
    public static LinearRows Build(EncodedRow[] rows, float[] idf, int buckets, int wordBuckets, int[]? used = null)
    {
        used ??= rows.SelectMany(r => r.Features.Ids).Where(id => idf[id] > 0).Distinct().Order().ToArray();
        var index = new int[buckets];
        Array.Fill(index, -1);
        for (var u = 0; u < used.Length; u++)
        {
            index[used[u]] = u;
        }

        var ids = new int[rows.Length][];
        var values = new float[rows.Length][];
        for (var r = 0; r < rows.Length; r++)
        {
            var features = rows[r].Features;
            var normalized = new float[features.Count];
            LinearMath.Normalize(features, idf, wordBuckets, normalized);
            var kept = Enumerable.Range(0, features.Count).Where(j => index[features.Ids[j]] >= 0).ToArray();
            ids[r] = kept.Select(j => index[features.Ids[j]]).ToArray();
            values[r] = kept.Select(j => normalized[j]).ToArray();
        }

        return new LinearRows(used, ids, values, rows.Select(r => r.Embedding).ToArray());
    }
}

/// <summary>
/// Class-weighted softmax cross-entropy of one head over its training rows, mean per row, plus L2 on the weights (not
/// the bias) with strength 1 / (C · rows), i.e. scikit-learn's LogisticRegression objective divided by C · rows.
/// Parameters: table [used buckets, labels], encoder weights [dimension, labels], bias [labels], row-major, one array.
/// </summary>
internal sealed class LinearProblem(LinearRows data, int[] rows, int[] targets, float[] classWeights, int labels, ParallelOptions parallel)
{
    private readonly int _tableLength = data.Used.Length * labels;
    private readonly int _dimension = data.Embeddings.FirstOrDefault(e => e is not null)?.Length ?? 0;
    private readonly float[] _rowGradients = new float[rows.Length * labels];
    private readonly double[] _rowLosses = new double[rows.Length];
    private double _lambda = 1.0 / (10 * Math.Max(rows.Length, 1));

    public int Dimension => _tableLength + (_dimension * labels) + labels;

    public LinearProblem WithC(double c)
    {
        _lambda = 1.0 / (c * Math.Max(rows.Length, 1));
        return this;
    }

    /// <summary>The objective at <paramref name="parameters"/>; writes its gradient.</summary>
    public double Evaluate(float[] parameters, float[] gradient)
    {
        var scale = 1f / Math.Max(rows.Length, 1);
        Parallel.For(0, rows.Length, parallel, () => new float[labels], (r, _, logits) =>
        {
            Forward(parameters, data, rows[r], logits);
            _rowLosses[r] = TrainingRun.LossAndGradient(Core.Models.HeadKind.SingleLabel, logits, [targets[r]], classWeights);
            TensorPrimitives.Multiply(logits, scale, _rowGradients.AsSpan(r * labels, labels));
            return logits;
        }, _ => { });

        var loss = 0.0;
        foreach (var rowLoss in _rowLosses)
        {
            loss += rowLoss;
        }

        loss *= scale;
        Array.Clear(gradient);
        var partitions = parallel.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : parallel.MaxDegreeOfParallelism;
        var used = data.Used.Length;
        Parallel.For(0, partitions, parallel, p =>
        {
            // Each partition owns a range of table rows and of encoder rows, and adds the rows' gradients in row order.
            var first = (int)((long)used * p / partitions);
            var end = (int)((long)used * (p + 1) / partitions);
            var firstInput = (int)((long)_dimension * p / partitions);
            var endInput = (int)((long)_dimension * (p + 1) / partitions);
            for (var r = 0; r < rows.Length; r++)
            {
                var rowGradient = _rowGradients.AsSpan(r * labels, labels);
                var ids = data.Ids[rows[r]];
                var values = data.Values[rows[r]];
                var j = Array.BinarySearch(ids, first);
                for (j = j >= 0 ? j : ~j; j < ids.Length && ids[j] < end; j++)
                {
                    var slot = gradient.AsSpan(ids[j] * labels, labels);
                    TensorPrimitives.MultiplyAdd(rowGradient, values[j], slot, slot);
                }

                if (data.Embeddings[rows[r]] is { } input)
                {
                    for (var i = firstInput; i < endInput; i++)
                    {
                        var slot = gradient.AsSpan(_tableLength + (i * labels), labels);
                        TensorPrimitives.MultiplyAdd(rowGradient, input[i], slot, slot);
                    }
                }
            }
        });

        var bias = gradient.AsSpan(Dimension - labels, labels);
        for (var r = 0; r < rows.Length; r++)
        {
            TensorPrimitives.Add(bias, _rowGradients.AsSpan(r * labels, labels), bias);
        }

        var weights = parameters.AsSpan(0, Dimension - labels);
        var weightGradient = gradient.AsSpan(0, Dimension - labels);
        TensorPrimitives.MultiplyAdd(weights, (float)_lambda, weightGradient, weightGradient);
        return loss + (_lambda / 2 * Lbfgs.Dot(weights, weights));
    }

    /// <summary>The logits [rows x labels] of <paramref name="which"/> rows of <paramref name="set"/>.</summary>
    public float[] Logits(float[] parameters, LinearRows set, int[] which)
    {
        var logits = new float[which.Length * labels];
        Parallel.For(0, which.Length, parallel, r => Forward(parameters, set, which[r], logits.AsSpan(r * labels, labels)));
        return logits;
    }

    /// <summary>The head's linear path over every bucket (unused buckets 0).</summary>
    public LinearHead ToHead(float[] parameters, int buckets, bool addsNetwork)
    {
        var table = new float[buckets * labels];
        for (var u = 0; u < data.Used.Length; u++)
        {
            parameters.AsSpan(u * labels, labels).CopyTo(table.AsSpan(data.Used[u] * labels, labels));
        }

        return new LinearHead(
            buckets == 0 ? Array.Empty<float>() : table,
            parameters.AsSpan(_tableLength, _dimension * labels).ToArray(),
            parameters.AsSpan(Dimension - labels, labels).ToArray(),
            addsNetwork);
    }

    private void Forward(float[] parameters, LinearRows set, int row, Span<float> logits)
    {
        parameters.AsSpan(Dimension - labels, labels).CopyTo(logits);
        var ids = set.Ids[row];
        var values = set.Values[row];
        for (var j = 0; j < ids.Length; j++)
        {
            TensorPrimitives.MultiplyAdd(parameters.AsSpan(ids[j] * labels, labels), values[j], logits, logits);
        }

        if (set.Embeddings[row] is { } input)
        {
            for (var i = 0; i < input.Length; i++)
            {
                TensorPrimitives.MultiplyAdd(parameters.AsSpan(_tableLength + (i * labels), labels), input[i], logits, logits);
            }
        }
    }
}
