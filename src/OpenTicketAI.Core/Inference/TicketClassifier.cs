using Microsoft.ML.OnnxRuntime;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Inference;

/// <summary>
/// One loaded model: manifest, featurizer, the frozen sentence encoder (if the model has one) and a shared ONNX Runtime session. <see cref="Predict"/> is thread-safe;
/// dispose only once no request uses the instance any more.
/// </summary>
public sealed class TicketClassifier : IDisposable
{
    private const int ChunkSize = 16;

    private static readonly SparseFeatures NoFeatures = new([], []);

    private readonly InferenceSession _session;
    private readonly HashedNgramFeaturizer? _featurizer;
    private readonly SentenceEncoder? _encoder;
    private readonly string[] _outputNames;
    private readonly ClassifierOptions _options;

    private TicketClassifier(string directory, ModelManifest manifest, InferenceSession session, SentenceEncoder? encoder, ClassifierOptions options)
    {
        _options = options;
        Directory = directory;
        Manifest = manifest;
        _session = session;
        _encoder = encoder;
        _featurizer = manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer ? null : new HashedNgramFeaturizer(manifest.Featurizer);
        _outputNames = manifest.Heads.Select(h => h.Output).ToArray();
        GraphLayout = session.ModelMetadata.Version;
    }

    /// <summary>The graph's layout (its ONNX model_version); below <see cref="GraphSpec.CurrentLayout"/>, <c>otai upgrade</c> makes it faster.</summary>
    public long GraphLayout { get; }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    /// <summary>The n-gram featurizer; null for an encoder-only model (<c>featurizer.kind</c> = <c>none</c>).</summary>
    public HashedNgramFeaturizer? Featurizer => _featurizer;

    /// <summary>The frozen sentence encoder whose embedding feeds the graph; null for n-gram-only models.</summary>
    public SentenceEncoder? Encoder => _encoder;

    /// <summary>Loads and validates a model directory; throws <see cref="ModelLoadException"/> naming what is wrong.</summary>
    public static TicketClassifier Load(string directory, ClassifierOptions? options = null)
    {
        options ??= new ClassifierOptions();
        var manifest = ModelDirectory.ReadManifest(directory);
        var graphPath = Path.Combine(directory, manifest.Graph.File);
        if (!File.Exists(graphPath))
        {
            throw new ModelLoadException($"{graphPath}: file not found (named by graph.file in {ModelDirectory.ManifestFile}).");
        }

        InferenceSession session;
        try
        {
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            session = new InferenceSession(graphPath, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{graphPath}: ONNX Runtime cannot load the graph: {ex.Message}", ex);
        }

        SentenceEncoder? encoder = null;
        try
        {
            ValidateGraph(manifest, session, graphPath);
            if (manifest.Encoder is { } spec)
            {
                try
                {
                    encoder = options.Encoders is { } encoders
                        ? encoders.Load(spec, directory, options.IntraOpThreads)
                        : SentenceEncoder.Load(spec, directory, options.IntraOpThreads);
                }
                catch (EncoderException ex)
                {
                    throw new ModelLoadException($"{Path.Combine(directory, ModelDirectory.ManifestFile)}: encoder '{spec.Kind}': {ex.Message}", ex);
                }

                if (encoder.Dimension != manifest.Graph.EmbeddingDimension)
                {
                    throw new ModelLoadException($"{graphPath}: graph.embeddingDimension is {manifest.Graph.EmbeddingDimension} but the encoder gives {encoder.Dimension}-d embeddings.");
                }
            }
        }
        catch
        {
            encoder?.Dispose();
            session.Dispose();
            throw;
        }

        return new TicketClassifier(directory, manifest, session, encoder, options);
    }

    public TicketPrediction Predict(TicketText ticket) => Predict([ticket])[0];

    /// <summary>
    /// Predicts a list of tickets. Large lists run as small chunks in parallel: padding a batch to its longest ticket
    /// costs more than it saves, and one ONNX thread per chunk beats intra-op threads on these small graphs.
    /// </summary>
    public IReadOnlyList<TicketPrediction> Predict(IReadOnlyList<TicketText> tickets)
    {
        if (tickets.Count <= ChunkSize)
        {
            return PredictChunk(tickets);
        }

        var results = new TicketPrediction[tickets.Count];
        var chunks = (tickets.Count + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, chunk =>
        {
            var start = chunk * ChunkSize;
            var part = new TicketText[Math.Min(ChunkSize, tickets.Count - start)];
            for (var i = 0; i < part.Length; i++)
            {
                part[i] = tickets[start + i];
            }

            var predictions = PredictChunk(part);
            for (var i = 0; i < part.Length; i++)
            {
                results[start + i] = predictions[i];
            }
        });
        return results;
    }

    private TicketPrediction[] PredictChunk(IReadOnlyList<TicketText> tickets)
    {
        if (tickets.Count == 0)
        {
            return [];
        }

        var features = new SparseFeatures[tickets.Count];
        for (var i = 0; i < tickets.Count; i++)
        {
            features[i] = _featurizer?.Featurize(tickets[i]) ?? NoFeatures;
        }

        var probabilities = Score(features, _encoder?.Encode(tickets));
        var results = new TicketPrediction[tickets.Count];
        for (var i = 0; i < tickets.Count; i++)
        {
            var heads = new Dictionary<string, HeadPrediction>(Manifest.Heads.Count);
            for (var h = 0; h < Manifest.Heads.Count; h++)
            {
                var head = Manifest.Heads[h];
                var row = new ReadOnlySpan<float>(probabilities[h], i * head.Labels.Count, head.Labels.Count);
                heads[head.Name] = Decide(head, row);
            }

            results[i] = new TicketPrediction(heads);
        }

        return results;
    }

    /// <summary>
    /// Runs the graph on featurized (and, for encoder models, encoded) tickets; returns, per head, a row-major
    /// [tickets x labels] array. <paramref name="embeddings"/> is required exactly when the model has an encoder.
    /// </summary>
    public float[][] Score(IReadOnlyList<SparseFeatures> features, IReadOnlyList<float[]>? embeddings = null)
    {
        var embeddingInput = Manifest.Graph.EmbeddingInput;
        if ((embeddingInput is null) != (embeddings is null) || (embeddings is not null && embeddings.Count != features.Count))
        {
            throw new ArgumentException(embeddingInput is null
                ? "This model has no encoder; pass no embeddings."
                : $"This model needs one {Manifest.Graph.EmbeddingDimension}-d embedding per ticket.", nameof(embeddings));
        }

        var width = Math.Max(1, features.Max(f => f.Count));
        var ids = new long[features.Count * width];
        var weights = new float[features.Count * width];
        for (var i = 0; i < features.Count; i++)
        {
            var f = features[i];
            for (var j = 0; j < f.Count; j++)
            {
                ids[(i * width) + j] = f.Ids[j];
                weights[(i * width) + j] = f.Weights[j];
            }
        }

        long[] shape = [features.Count, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var weightsValue = OrtValue.CreateTensorValueFromMemory(weights, shape);
        using var embeddingValue = embeddings is null ? null : EmbeddingTensor(embeddings, Manifest.Graph.EmbeddingDimension);
        string[] inputNames = embeddingValue is null
            ? [Manifest.Graph.FeatureIdsInput, Manifest.Graph.FeatureWeightsInput]
            : [Manifest.Graph.FeatureIdsInput, Manifest.Graph.FeatureWeightsInput, embeddingInput!];
        OrtValue[] inputValues = embeddingValue is null ? [idsValue, weightsValue] : [idsValue, weightsValue, embeddingValue];
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputNames, inputValues, _outputNames);
        var result = new float[outputs.Count][];
        for (var h = 0; h < outputs.Count; h++)
        {
            result[h] = outputs[h].GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }

    private static OrtValue EmbeddingTensor(IReadOnlyList<float[]> embeddings, int dimension)
    {
        var data = new float[embeddings.Count * dimension];
        for (var i = 0; i < embeddings.Count; i++)
        {
            if (embeddings[i].Length != dimension)
            {
                throw new ArgumentException($"Embedding {i} has {embeddings[i].Length} values; the model expects {dimension}.", nameof(embeddings));
            }

            embeddings[i].CopyTo(data, i * dimension);
        }

        return OrtValue.CreateTensorValueFromMemory(data, [embeddings.Count, dimension]);
    }

    private HeadPrediction Decide(HeadSpec head, ReadOnlySpan<float> scores)
    {
        var kept = Math.Min(scores.Length, _options.MaxScoresPerHead);
        var best = Best(scores, Math.Max(kept, 1));
        if (head.Kind == HeadKind.SingleLabel)
        {
            var top = best[0];
            var needsReview = head.ReviewThreshold is { } threshold && scores[top] < threshold;
            return new HeadPrediction(head.Name, head.Kind, [head.Labels[top]], scores[top], needsReview, Scores(head, scores, best[..kept]));
        }

        // Every label at or above its threshold, best first; those below the best few join the ranked list after them.
        var ranked = best.GetRange(0, kept);
        var chosen = new List<int>();
        for (var k = 0; k < scores.Length; k++)
        {
            if (scores[k] >= (head.Thresholds?[k] ?? 0.5f))
            {
                Insert(chosen, k, scores);
                if (!ranked.Contains(k))
                {
                    Insert(ranked, k, scores);
                }
            }
        }

        // Chosen labels come in score order, so the last is the least confident.
        var confidence = chosen.Count == 0 ? 1f - scores[best[0]] : scores[chosen[^1]];
        return new HeadPrediction(head.Name, head.Kind, chosen.Select(k => head.Labels[k]).ToArray(), confidence, false, Scores(head, scores, ranked));
    }

    /// <summary>
    /// The indices of the <paramref name="count"/> highest scores, best first (ties: lower index first). Selected, not
    /// sorted: a response shows <see cref="ClassifierOptions.MaxScoresPerHead"/> labels, and the tags head has hundreds.
    /// </summary>
    private static List<int> Best(ReadOnlySpan<float> scores, int count)
    {
        var best = new List<int>(count + 1);
        for (var k = 0; k < scores.Length; k++)
        {
            if (best.Count < count || scores[k] > scores[best[^1]])
            {
                Insert(best, k, scores);
                if (best.Count > count)
                {
                    best.RemoveAt(count);
                }
            }
        }

        return best;
    }

    /// <summary>Inserts <paramref name="index"/> into <paramref name="ranked"/> (best first) after every score at least as high.</summary>
    private static void Insert(List<int> ranked, int index, ReadOnlySpan<float> scores)
    {
        var at = ranked.Count;
        while (at > 0 && scores[ranked[at - 1]] < scores[index])
        {
            at--;
        }

        ranked.Insert(at, index);
    }

    private static LabelScore[] Scores(HeadSpec head, ReadOnlySpan<float> scores, List<int> ranked)
    {
        var result = new LabelScore[ranked.Count];
        for (var i = 0; i < ranked.Count; i++)
        {
            result[i] = new LabelScore(head.Labels[ranked[i]], scores[ranked[i]]);
        }

        return result;
    }

    private static void ValidateGraph(ModelManifest manifest, InferenceSession session, string graphPath)
    {
        var inputs = session.InputMetadata;
        foreach (var (name, type) in new[] { (manifest.Graph.FeatureIdsInput, typeof(long)), (manifest.Graph.FeatureWeightsInput, typeof(float)) })
        {
            if (!inputs.TryGetValue(name, out var meta))
            {
                throw new ModelLoadException($"{graphPath}: the graph has no input '{name}' (inputs: {string.Join(", ", inputs.Keys)}).");
            }

            if (meta.ElementType != type)
            {
                throw new ModelLoadException($"{graphPath}: input '{name}' is {meta.ElementType.Name}, expected {type.Name}.");
            }
        }

        if (manifest.Graph.EmbeddingInput is { } embedding)
        {
            if (!inputs.TryGetValue(embedding, out var meta))
            {
                throw new ModelLoadException($"{graphPath}: the graph has no input '{embedding}' named by graph.embeddingInput (inputs: {string.Join(", ", inputs.Keys)}).");
            }

            var width = meta.Dimensions.Length == 2 ? meta.Dimensions[1] : -1;
            if (meta.ElementType != typeof(float) || width != manifest.Graph.EmbeddingDimension)
            {
                throw new ModelLoadException($"{graphPath}: input '{embedding}' is {meta.ElementType.Name}[{string.Join(",", meta.Dimensions)}]; graph.embeddingDimension expects float[batch,{manifest.Graph.EmbeddingDimension}].");
            }
        }

        var outputs = session.OutputMetadata;
        foreach (var head in manifest.Heads)
        {
            if (!outputs.TryGetValue(head.Output, out var meta))
            {
                throw new ModelLoadException($"{graphPath}: head '{head.Name}' names output '{head.Output}', which the graph lacks (outputs: {string.Join(", ", outputs.Keys)}).");
            }

            var classes = meta.Dimensions.Length == 2 ? meta.Dimensions[1] : -1;
            if (meta.ElementType != typeof(float) || classes != head.Labels.Count)
            {
                throw new ModelLoadException($"{graphPath}: output '{head.Output}' is {meta.ElementType.Name}[{string.Join(",", meta.Dimensions)}]; head '{head.Name}' expects float[batch,{head.Labels.Count}].");
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _encoder?.Dispose();
    }
}

public sealed record ClassifierOptions
{
    /// <summary>Threads one inference may use. 1 suits a service that runs many requests at once.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>How many ranked labels a head returns in <see cref="HeadPrediction.Scores"/> (chosen tags are always included).</summary>
    public int MaxScoresPerHead { get; init; } = 20;

    /// <summary>Shares one encoder session among the models loaded with it; null gives each model its own.</summary>
    public EncoderCache? Encoders { get; init; }
}
