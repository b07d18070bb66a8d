using System.Numerics.Tensors;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>The forward pass of the graph contract, shared by the trainer and <see cref="TrainedNetwork.Forward"/>.</summary>
internal static class NetworkMath
{
    /// <summary>hidden = Relu(Σ weight·E[id] [+ input · W_enc] + b_hidden); the encoder term only when <paramref name="input"/> is not empty.</summary>
    public static void Hidden(
        SparseFeatures features,
        ReadOnlySpan<float> embedding,
        ReadOnlySpan<float> hiddenBias,
        Span<float> hidden,
        ReadOnlySpan<float> input = default,
        ReadOnlySpan<float> encoderWeights = default)
    {
        var width = hidden.Length;
        hidden.Clear();
        for (var j = 0; j < features.Count; j++)
        {
            TensorPrimitives.MultiplyAdd(embedding.Slice(features.Ids[j] * width, width), features.Weights[j], hidden, hidden);
        }

        AddEncoder(input, encoderWeights, hidden);
        TensorPrimitives.Add(hidden, hiddenBias, hidden);
        TensorPrimitives.Max(hidden, 0f, hidden);
    }

    /// <summary>hidden += input · W_enc with W_enc row-major [input, hidden]; nothing when <paramref name="input"/> is empty.</summary>
    public static void AddEncoder(ReadOnlySpan<float> input, ReadOnlySpan<float> encoderWeights, Span<float> hidden)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var width = hidden.Length;
        var product = width <= 1024 ? stackalloc float[width] : new float[width];
        product.Clear();
        for (var i = 0; i < input.Length; i++)
        {
            TensorPrimitives.MultiplyAdd(encoderWeights.Slice(i * width, width), input[i], product, product);
        }

        TensorPrimitives.Add(hidden, product, hidden);
    }

    /// <summary>logits = hidden · W + b with W row-major [hidden, labels].</summary>
    public static void Logits(ReadOnlySpan<float> hidden, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> logits)
    {
        var labels = logits.Length;
        logits.Clear();
        for (var i = 0; i < hidden.Length; i++)
        {
            if (hidden[i] != 0f)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(i * labels, labels), hidden[i], logits, logits);
            }
        }

        TensorPrimitives.Add(logits, bias, logits);
    }

    /// <summary>Turns logits into the head's output in place: Softmax(logits / T) or Sigmoid(logits).</summary>
    public static void Activate(HeadKind kind, float temperature, Span<float> scores)
    {
        if (kind == HeadKind.SingleLabel)
        {
            // TensorPrimitives.SoftMax does not subtract the maximum; a small temperature would overflow it.
            TensorPrimitives.Divide(scores, temperature, scores);
            TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
            TensorPrimitives.Exp(scores, scores);
            TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
        }
        else
        {
            TensorPrimitives.Sigmoid(scores, scores);
        }
    }

    /// <summary>ln(1 + e^x) without overflow.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
}
