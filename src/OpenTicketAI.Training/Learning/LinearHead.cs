using System.Numerics.Tensors;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// A head's wide linear path: logits = x̃ · Table + embedding · EncoderWeights + Bias, where x̃ is the row's n-gram bag
/// re-weighted by the idf of <see cref="TrainedNetwork.Idf"/> and L2-normalised (see <see cref="LinearMath.Normalize"/>).
/// Table is row-major [buckets, labels] (empty for an encoder-only network), EncoderWeights [embeddingDimension, labels].
/// With <see cref="AddsNetwork"/> the network's logits are added; without, the head is the linear model alone.
/// </summary>
public sealed record LinearHead(ReadOnlyMemory<float> Table, ReadOnlyMemory<float> EncoderWeights, ReadOnlyMemory<float> Bias, bool AddsNetwork)
{
    /// <summary>The manifest's name of the path a head takes: <c>linear</c> or <c>network+linear</c>.</summary>
    public string PathName => AddsNetwork ? "network+linear" : "linear";
}

/// <summary>The linear path's forward pass, shared by the solver, <see cref="TrainedNetwork"/> and the export checks.</summary>
internal static class LinearMath
{
    /// <summary>
    /// x̃_j = w_j · idf[id_j] / ‖w ⊙ idf‖ over the block of id_j (ids below <paramref name="wordBuckets"/> are words,
    /// the rest character n-grams; one block when it is 0), 0 where the norm is 0; the exported graph computes the same.
    /// </summary>
    public static void Normalize(SparseFeatures features, ReadOnlySpan<float> idf, int wordBuckets, Span<float> normalized)
    {
        double words = 0, chars = 0;
        for (var j = 0; j < features.Count; j++)
        {
            var value = features.Weights[j] * idf[features.Ids[j]];
            normalized[j] = value;
            if (features.Ids[j] < wordBuckets)
            {
                words += value * value;
            }
            else
            {
                chars += value * value;
            }
        }

        var wordScale = words > 0 ? 1f / MathF.Sqrt((float)words) : 0f;
        var charScale = chars > 0 ? 1f / MathF.Sqrt((float)chars) : 0f;
        for (var j = 0; j < features.Count; j++)
        {
            normalized[j] *= features.Ids[j] < wordBuckets ? wordScale : charScale;
        }
    }

    /// <summary>logits += Σ x̃_j · Table[id_j] + input · EncoderWeights + Bias.</summary>
    public static void AddLogits(LinearHead head, SparseFeatures features, ReadOnlySpan<float> normalized, ReadOnlySpan<float> input, Span<float> logits)
    {
        var labels = logits.Length;
        var table = head.Table.Span;
        if (!table.IsEmpty)
        {
            for (var j = 0; j < features.Count; j++)
            {
                TensorPrimitives.MultiplyAdd(table.Slice(features.Ids[j] * labels, labels), normalized[j], logits, logits);
            }
        }

        var encoder = head.EncoderWeights.Span;
        for (var i = 0; i < input.Length; i++)
        {
            TensorPrimitives.MultiplyAdd(encoder.Slice(i * labels, labels), input[i], logits, logits);
        }

        TensorPrimitives.Add(logits, head.Bias.Span, logits);
    }
}
