using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// One output head: weights W row-major [hidden, labels], bias [labels], the calibrated temperature (single-label only)
/// and optionally a wide linear path (see <see cref="LinearHead"/>).
/// </summary>
public sealed record HeadWeights(
    string Name,
    HeadKind Kind,
    string Output,
    IReadOnlyList<string> Labels,
    ReadOnlyMemory<float> Weights,
    ReadOnlyMemory<float> Bias,
    float Temperature = 1f,
    LinearHead? Linear = null)
{
    /// <summary>Whether the head's logits include the network's (hidden layer · W + b).</summary>
    public bool UsesNetwork => Linear is not { AddsNetwork: false };
}

/// <summary>
/// The trained weights of the graph in docs/model-format.md: an embedding table [buckets, hidden] (0 buckets: an
/// encoder-only model), optionally the encoder projection W_enc [embeddingDimension, hidden], the hidden bias and one
/// linear layer per head. <see cref="Forward"/> computes exactly what the exported ONNX graph computes.
/// </summary>
public sealed class TrainedNetwork
{
    public TrainedNetwork(
        int buckets,
        int hiddenDimension,
        ReadOnlyMemory<float> embedding,
        ReadOnlyMemory<float> hiddenBias,
        IReadOnlyList<HeadWeights> heads,
        int embeddingDimension = 0,
        ReadOnlyMemory<float> encoderWeights = default,
        ReadOnlyMemory<float> idf = default,
        int wordBuckets = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, embeddingDimension > 0 ? 0 : 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(embeddingDimension);
        ArgumentOutOfRangeException.ThrowIfNegative(wordBuckets);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wordBuckets, buckets);
        if (embedding.Length != (long)buckets * hiddenDimension || hiddenBias.Length != hiddenDimension)
        {
            throw new ArgumentException($"The embedding must hold {buckets}x{hiddenDimension} values and the hidden bias {hiddenDimension}.");
        }

        if (encoderWeights.Length != (long)embeddingDimension * hiddenDimension)
        {
            throw new ArgumentException($"The encoder weights must hold {embeddingDimension}x{hiddenDimension} values.", nameof(encoderWeights));
        }

        foreach (var head in heads)
        {
            if (head.Labels.Count == 0 || head.Weights.Length != hiddenDimension * head.Labels.Count || head.Bias.Length != head.Labels.Count)
            {
                throw new ArgumentException($"Head '{head.Name}' needs {hiddenDimension}x{head.Labels.Count} weights and {head.Labels.Count} biases.", nameof(heads));
            }

            if (!(head.Temperature > 0) || !float.IsFinite(head.Temperature))
            {
                throw new ArgumentException($"Head '{head.Name}' has temperature {head.Temperature}; it must be positive.", nameof(heads));
            }

            if (head.Linear is { } linear && (linear.Table.Length != (long)buckets * head.Labels.Count
                || linear.EncoderWeights.Length != (long)embeddingDimension * head.Labels.Count || linear.Bias.Length != head.Labels.Count))
            {
                throw new ArgumentException($"Head '{head.Name}': the linear path needs {buckets}x{head.Labels.Count} table values, {embeddingDimension}x{head.Labels.Count} encoder weights and {head.Labels.Count} biases.", nameof(heads));
            }
        }

        if (idf.Length != (heads.Any(h => h.Linear is not null) ? buckets : 0))
        {
            throw new ArgumentException($"The idf must hold {buckets} values when a head has a linear path, else none.", nameof(idf));
        }

        Buckets = buckets;
        HiddenDimension = hiddenDimension;
        Embedding = embedding;
        HiddenBias = hiddenBias;
        Heads = heads;
        EmbeddingDimension = embeddingDimension;
        EncoderWeights = encoderWeights;
        Idf = idf;
        WordBuckets = wordBuckets;
    }

    /// <summary>Per bucket, the inverse document frequency of the linear paths (0 for buckets no training row has); empty without linear paths.</summary>
    public ReadOnlyMemory<float> Idf { get; }

    /// <summary>The linear paths normalise buckets below this (words) apart from the rest (character n-grams); 0: one block.</summary>
    public int WordBuckets { get; }

    /// <summary>Hash buckets of the n-gram bag; 0 for an encoder-only network.</summary>
    public int Buckets { get; }

    /// <summary>Size of the encoder embedding fed to the hidden layer; 0 without an encoder.</summary>
    public int EmbeddingDimension { get; }

    /// <summary>Row-major [<see cref="EmbeddingDimension"/>, <see cref="HiddenDimension"/>]; empty without an encoder.</summary>
    public ReadOnlyMemory<float> EncoderWeights { get; }

    public int HiddenDimension { get; }

    /// <summary>Row-major [<see cref="Buckets"/>, <see cref="HiddenDimension"/>]; rows no training ticket touched are exactly 0.</summary>
    public ReadOnlyMemory<float> Embedding { get; }

    public ReadOnlyMemory<float> HiddenBias { get; }

    public IReadOnlyList<HeadWeights> Heads { get; }

    /// <summary>
    /// The same network with every embedding and linear table value rounded to float16, the precision the exported graph
    /// stores the tables in (half the file size); calibration and the parity check then see exactly what the graph computes.
    /// </summary>
    public TrainedNetwork WithHalfPrecisionEmbedding()
    {
        var heads = Heads.Select(h => h.Linear is { } linear ? h with { Linear = linear with { Table = RoundToHalf(linear.Table.Span) } } : h).ToArray();
        return new TrainedNetwork(Buckets, HiddenDimension, RoundToHalf(Embedding.Span), HiddenBias, heads, EmbeddingDimension, EncoderWeights, Idf, WordBuckets);
    }

    /// <summary>The same network with other head weights (e.g. calibrated temperatures or linear paths) and linear inputs.</summary>
    public TrainedNetwork WithHeads(IReadOnlyList<HeadWeights> heads, ReadOnlyMemory<float>? idf = null, int? wordBuckets = null) =>
        new(Buckets, HiddenDimension, Embedding, HiddenBias, heads, EmbeddingDimension, EncoderWeights, idf ?? Idf, wordBuckets ?? WordBuckets);

    private static float[] RoundToHalf(ReadOnlySpan<float> source)
    {
        var rounded = new float[source.Length];
        for (var i = 0; i < rounded.Length; i++)
        {
            rounded[i] = (float)(Half)source[i];
        }

        return rounded;
    }

    /// <summary>
    /// Per head, a row-major [batch x labels] array of calibrated probabilities (single-label) or sigmoid scores
    /// (multi-label). <paramref name="embeddings"/>: one encoder embedding per row, required exactly when the network has an encoder.
    /// </summary>
    public float[][] Forward(IReadOnlyList<SparseFeatures> batch, IReadOnlyList<float[]>? embeddings = null)
    {
        var scores = Logits(batch, embeddings);
        for (var h = 0; h < Heads.Count; h++)
        {
            var head = Heads[h];
            for (var row = 0; row < batch.Count; row++)
            {
                NetworkMath.Activate(head.Kind, head.Temperature, scores[h].AsSpan(row * head.Labels.Count, head.Labels.Count));
            }
        }

        return scores;
    }

    /// <summary>Per head, the raw logits [batch x labels] before temperature and activation.</summary>
    internal float[][] Logits(IReadOnlyList<SparseFeatures> batch, IReadOnlyList<float[]>? embeddings = null, int maxDegreeOfParallelism = -1)
    {
        if ((EmbeddingDimension > 0) != (embeddings is not null) || (embeddings is not null && (embeddings.Count != batch.Count || embeddings.Any(e => e.Length != EmbeddingDimension))))
        {
            throw new ArgumentException(EmbeddingDimension > 0
                ? $"This network needs one {EmbeddingDimension}-d encoder embedding per row."
                : "This network has no encoder; pass no embeddings.", nameof(embeddings));
        }

        var logits = Heads.Select(h => new float[batch.Count * h.Labels.Count]).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var linear = Heads.Any(h => h.Linear is not null);
        Parallel.For(0, batch.Count, parallel, () => new float[HiddenDimension], (row, _, hidden) =>
        {
            var input = embeddings is null ? default : embeddings[row];
            NetworkMath.Hidden(batch[row], Embedding.Span, HiddenBias.Span, hidden, input, EncoderWeights.Span);
            var normalized = linear ? new float[batch[row].Count] : [];
            if (linear)
            {
                LinearMath.Normalize(batch[row], Idf.Span, WordBuckets, normalized);
            }

            for (var h = 0; h < Heads.Count; h++)
            {
                var head = Heads[h];
                var labels = head.Labels.Count;
                var slot = logits[h].AsSpan(row * labels, labels);
                if (head.UsesNetwork)
                {
                    NetworkMath.Logits(hidden, head.Weights.Span, head.Bias.Span, slot);
                }

                if (head.Linear is { } path)
                {
                    LinearMath.AddLogits(path, batch[row], normalized, input, slot);
                }
            }

            return hidden;
        }, _ => { });
        return logits;
    }
}
