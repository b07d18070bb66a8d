using Microsoft.ML.OnnxRuntime;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Inference;

/// <summary>
/// One loaded model: manifest, featurizer and a shared ONNX Runtime session. <see cref="Predict"/> is thread-safe;
/// dispose only once no request uses the instance any more.
/// </summary>
public sealed class TicketClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly HashedNgramFeaturizer _featurizer;
    private readonly string[] _outputNames;

    private TicketClassifier(string directory, ModelManifest manifest, InferenceSession session)
    {
        Directory = directory;
        Manifest = manifest;
        _session = session;
        _featurizer = new HashedNgramFeaturizer(manifest.Featurizer);
        _outputNames = manifest.Heads.Select(h => h.Output).ToArray();
    }

    public string Directory { get; }

    public ModelManifest Manifest { get; }

    public HashedNgramFeaturizer Featurizer => _featurizer;

    /// <summary>Loads and validates a model directory; throws <see cref="ModelLoadException"/> naming what is wrong.</summary>
    public static TicketClassifier Load(string directory, ClassifierOptions? options = null)
    {
        options ??= new ClassifierOptions();
        var manifest = ModelDirectory.ReadManifest(directory);
        if (manifest.Encoder is not null)
        {
            throw new ModelLoadException($"{Path.Combine(directory, ModelDirectory.ManifestFile)}: encoder '{manifest.Encoder.Kind}' models need the encoder pipeline, which this build does not include.");
        }

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

        try
        {
            ValidateGraph(manifest, session, graphPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new TicketClassifier(directory, manifest, session);
    }

    public TicketPrediction Predict(TicketText ticket) => Predict([ticket])[0];

    public IReadOnlyList<TicketPrediction> Predict(IReadOnlyList<TicketText> tickets)
    {
        if (tickets.Count == 0)
        {
            return [];
        }

        var features = new SparseFeatures[tickets.Count];
        for (var i = 0; i < tickets.Count; i++)
        {
            features[i] = _featurizer.Featurize(tickets[i]);
        }

        var probabilities = Score(features);
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

    /// <summary>Runs the graph on featurized tickets; returns, per head, a row-major [tickets x labels] array.</summary>
    public float[][] Score(IReadOnlyList<SparseFeatures> features)
    {
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
        var inputNames = new[] { Manifest.Graph.FeatureIdsInput, Manifest.Graph.FeatureWeightsInput };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputNames, [idsValue, weightsValue], _outputNames);
        var result = new float[outputs.Count][];
        for (var h = 0; h < outputs.Count; h++)
        {
            result[h] = outputs[h].GetTensorDataAsSpan<float>().ToArray();
        }

        return result;
    }

    private static HeadPrediction Decide(HeadSpec head, ReadOnlySpan<float> scores)
    {
        var ranked = new LabelScore[scores.Length];
        for (var k = 0; k < scores.Length; k++)
        {
            ranked[k] = new LabelScore(head.Labels[k], scores[k]);
        }

        Array.Sort(ranked, (a, b) => b.Score.CompareTo(a.Score));

        if (head.Kind == HeadKind.SingleLabel)
        {
            var top = ranked[0];
            var needsReview = head.ReviewThreshold is { } threshold && top.Score < threshold;
            return new HeadPrediction(head.Name, head.Kind, [top.Label], top.Score, needsReview, ranked);
        }

        var chosen = new List<string>();
        var confidence = 1f;
        for (var k = 0; k < scores.Length; k++)
        {
            var threshold = head.Thresholds?[k] ?? 0.5f;
            if (scores[k] >= threshold)
            {
                chosen.Add(head.Labels[k]);
                confidence = Math.Min(confidence, scores[k]);
            }
        }

        if (chosen.Count == 0)
        {
            confidence = 1f - ranked[0].Score;
        }

        var orderedChosen = ranked.Where(r => chosen.Contains(r.Label)).Select(r => r.Label).ToArray();
        return new HeadPrediction(head.Name, head.Kind, orderedChosen, confidence, false, ranked);
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

    public void Dispose() => _session.Dispose();
}

public sealed record ClassifierOptions
{
    /// <summary>Threads one inference may use. 1 suits a service that runs many requests at once.</summary>
    public int IntraOpThreads { get; init; } = 1;
}
