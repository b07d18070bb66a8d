using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Export;

/// <summary>Writes a <see cref="TrainedNetwork"/> as the single ONNX graph (opset 17, IR version 8) of docs/model-format.md.</summary>
public static class OnnxExporter
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    private const string Batch = "batch";
    private const string Features = "n";

    public static byte[] Export(TrainedNetwork network, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(manifest);
        Validate(network, manifest);

        var ids = manifest.Graph.FeatureIdsInput;
        var weights = manifest.Graph.FeatureWeightsInput;
        var graph = new GraphProto { Name = manifest.Name };
        graph.Input.Add(Value(ids, TensorProto.Types.DataType.Int64, Dim(Batch), Dim(Features)));
        graph.Input.Add(Value(weights, TensorProto.Types.DataType.Float, Dim(Batch), Dim(Features)));
        if (manifest.Graph.EmbeddingInput is { } embedding)
        {
            graph.Input.Add(Value(embedding, TensorProto.Types.DataType.Float, Dim(Batch), Dim(network.EmbeddingDimension)));
        }

        // Internal names contain '/', which sanitised output names never do.
        graph.Initializer.Add(FloatTensor("hidden/bias", network.HiddenBias.Span, network.HiddenDimension));
        string? bag = null;
        if (network.Buckets > 0)
        {
            graph.Initializer.Add(HalfTensor("embedding/table", network.Embedding.Span, network.Buckets, network.HiddenDimension));
            graph.Initializer.Add(Int64Tensor("axes/features", 1));
            graph.Node.Add(Node("Gather", ["embedding/table", ids], "bag/rows16", ("axis", 0)));
            graph.Node.Add(Node("Cast", ["bag/rows16"], "bag/rows", ("to", (long)TensorProto.Types.DataType.Float)));
            // [batch, 1, n] · [batch, n, hidden]: one batched product, no [batch, n, hidden] intermediate.
            graph.Node.Add(Node("Unsqueeze", [weights, "axes/features"], "bag/weights"));
            graph.Node.Add(Node("MatMul", ["bag/weights", "bag/rows"], "bag/product"));
            graph.Node.Add(Node("Squeeze", ["bag/product", "axes/features"], "bag/sum"));
            bag = "bag/sum";
        }

        // Encoder-only graphs still declare the feature inputs (one contract for every model); nothing reads them.
        string? encoded = null;
        if (manifest.Graph.EmbeddingInput is { } input)
        {
            graph.Initializer.Add(FloatTensor("encoder/weights", network.EncoderWeights.Span, network.EmbeddingDimension, network.HiddenDimension));
            graph.Node.Add(Node("MatMul", [input, "encoder/weights"], "encoder/product"));
            encoded = "encoder/product";
        }

        var features = (bag, encoded) switch
        {
            ({ } b, { } e) => Add(graph, b, e, "hidden/features"),
            ({ } b, null) => b,
            (null, { } e) => e,
            _ => throw new ArgumentException("The network has neither n-gram buckets nor an encoder.", nameof(network)),
        };
        graph.Node.Add(Node("Add", [features, "hidden/bias"], "hidden/linear"));
        graph.Node.Add(Node("Relu", ["hidden/linear"], "hidden/relu"));

        var linearInput = network.Heads.Any(h => h.Linear is not null) && network.Buckets > 0 ? LinearInput(graph, network, ids, weights) : null;
        var linearBags = linearInput is null ? [] : LinearBags(graph, network, manifest, ids, linearInput);
        foreach (var (head, spec) in network.Heads.Zip(manifest.Heads))
        {
            var prefix = $"head/{spec.Output}";
            string? logits = null;
            if (head.UsesNetwork)
            {
                graph.Initializer.Add(FloatTensor($"{prefix}/weights", head.Weights.Span, network.HiddenDimension, head.Labels.Count));
                graph.Initializer.Add(FloatTensor($"{prefix}/bias", head.Bias.Span, head.Labels.Count));
                graph.Node.Add(Node("MatMul", ["hidden/relu", $"{prefix}/weights"], $"{prefix}/product"));
                graph.Node.Add(Node("Add", [$"{prefix}/product", $"{prefix}/bias"], $"{prefix}/network"));
                logits = $"{prefix}/network";
            }

            if (head.Linear is { } linear)
            {
                var sum = LinearLogits(graph, network, head, linear, prefix, linearBags.GetValueOrDefault(spec.Output), manifest.Graph.EmbeddingInput);
                logits = logits is null ? sum : Add(graph, logits, sum, $"{prefix}/combined");
            }

            if (head.Kind == HeadKind.SingleLabel)
            {
                graph.Initializer.Add(FloatTensor($"{prefix}/temperature", [head.Temperature]));
                graph.Node.Add(Node("Div", [logits!, $"{prefix}/temperature"], $"{prefix}/scaled"));
                graph.Node.Add(Node("Softmax", [$"{prefix}/scaled"], spec.Output, ("axis", -1)));
            }
            else
            {
                graph.Node.Add(Node("Sigmoid", [logits!], spec.Output));
            }

            graph.Output.Add(Value(spec.Output, TensorProto.Types.DataType.Float, Dim(Batch), Dim(head.Labels.Count)));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "OpenTicketAI",
            ProducerVersion = MultiHeadTrainer.TrainerVersion,
            ModelVersion = GraphSpec.CurrentLayout,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>
    /// The linear paths' shared input x̃ [batch, 1, n]: feature weights · idf[ids], L2-normalised per row, the word block
    /// (ids below <see cref="TrainedNetwork.WordBuckets"/>) apart from the character block, as <see cref="LinearMath.Normalize"/>.
    /// </summary>
    private static string LinearInput(GraphProto graph, TrainedNetwork network, string ids, string weights)
    {
        graph.Initializer.Add(FloatTensor("linear/idf", network.Idf.Span, network.Buckets));
        graph.Initializer.Add(FloatTensor("linear/tiny", [1e-30f]));
        graph.Node.Add(Node("Gather", ["linear/idf", ids], "linear/idf_rows", ("axis", 0)));
        graph.Node.Add(Node("Mul", [weights, "linear/idf_rows"], "linear/weighted"));
        graph.Node.Add(Node("Mul", ["linear/weighted", "linear/weighted"], "linear/squares"));
        if (network.WordBuckets == 0)
        {
            graph.Node.Add(Node("Div", ["linear/weighted", BlockNorm(graph, "linear/squares", "linear")], "linear/normalized"));
        }
        else
        {
            // Word ids get 1/‖words‖, the others 1/‖chars‖: mask·word scale + (1 − mask)·char scale (products, so an
            // empty block's huge scale only ever meets 0). Padding has weight 0.
            graph.Initializer.Add(Int64Tensor("linear/word_buckets", network.WordBuckets));
            graph.Initializer.Add(FloatTensor("linear/one", [1f]));
            graph.Node.Add(Node("Less", [ids, "linear/word_buckets"], "linear/is_word"));
            graph.Node.Add(Node("Cast", ["linear/is_word"], "linear/word_mask", ("to", (long)TensorProto.Types.DataType.Float)));
            graph.Node.Add(Node("Mul", ["linear/squares", "linear/word_mask"], "linear/word_squares"));
            graph.Node.Add(Node("Sub", ["linear/squares", "linear/word_squares"], "linear/char_squares"));
            graph.Node.Add(Node("Div", ["linear/one", BlockNorm(graph, "linear/word_squares", "linear/words")], "linear/word_scale"));
            graph.Node.Add(Node("Div", ["linear/one", BlockNorm(graph, "linear/char_squares", "linear/chars")], "linear/char_scale"));
            graph.Node.Add(Node("Sub", ["linear/one", "linear/word_mask"], "linear/char_mask"));
            graph.Node.Add(Node("Mul", ["linear/word_mask", "linear/word_scale"], "linear/word_part"));
            graph.Node.Add(Node("Mul", ["linear/char_mask", "linear/char_scale"], "linear/char_part"));
            graph.Node.Add(Node("Add", ["linear/word_part", "linear/char_part"], "linear/scale"));
            graph.Node.Add(Node("Mul", ["linear/weighted", "linear/scale"], "linear/normalized"));
        }

        graph.Node.Add(Node("Unsqueeze", ["linear/normalized", "axes/features"], "linear/input"));
        return "linear/input";
    }

    /// <summary>max(√Σ squares, tiny) per row [batch, 1]; a block without features gets scale 0 from its zero values.</summary>
    private static string BlockNorm(GraphProto graph, string squares, string prefix)
    {
        graph.Node.Add(Node("ReduceSum", [squares, "axes/features"], $"{prefix}/norm2", ("keepdims", 1)));
        graph.Node.Add(Node("Sqrt", [$"{prefix}/norm2"], $"{prefix}/norm"));
        graph.Node.Add(Node("Max", [$"{prefix}/norm", "linear/tiny"], $"{prefix}/safe_norm"));
        return $"{prefix}/safe_norm";
    }

    /// <summary>
    /// x̃ · table for every head with a linear path, per head output: the heads' tables side by side in one table, so one
    /// Gather, Cast and MatMul serve them all and a Split hands each head its columns (ONNX Runtime pays per node, and
    /// these tables are a few labels wide).
    /// </summary>
    private static Dictionary<string, string> LinearBags(GraphProto graph, TrainedNetwork network, ModelManifest manifest, string ids, string linearInput)
    {
        var heads = network.Heads.Zip(manifest.Heads).Where(h => h.First.Linear is not null).ToList();
        var widths = heads.Select(h => h.First.Labels.Count).ToArray();
        var width = widths.Sum();
        var table = new float[network.Buckets * width];
        var offset = 0;
        foreach (var (head, _) in heads)
        {
            var labels = head.Labels.Count;
            var source = head.Linear!.Table.Span;
            for (var bucket = 0; bucket < network.Buckets; bucket++)
            {
                source.Slice(bucket * labels, labels).CopyTo(table.AsSpan((bucket * width) + offset, labels));
            }

            offset += labels;
        }

        graph.Initializer.Add(HalfTensor("linear/table", table, network.Buckets, width));
        graph.Node.Add(Node("Gather", ["linear/table", ids], "linear/rows16", ("axis", 0)));
        graph.Node.Add(Node("Cast", ["linear/rows16"], "linear/rows", ("to", (long)TensorProto.Types.DataType.Float)));
        graph.Node.Add(Node("MatMul", [linearInput, "linear/rows"], "linear/product"));
        graph.Node.Add(Node("Squeeze", ["linear/product", "axes/features"], "linear/bags"));
        var outputs = heads.Select(h => $"head/{h.Second.Output}/linear/bag").ToArray();
        if (heads.Count == 1)
        {
            return new Dictionary<string, string> { [heads[0].Second.Output] = "linear/bags" };
        }

        graph.Initializer.Add(Int64Tensor("linear/widths", widths.Select(w => (long)w).ToArray()));
        var split = new NodeProto { OpType = "Split", Name = "linear/bags/Split" };
        split.Input.Add(["linear/bags", "linear/widths"]);
        split.Output.Add(outputs);
        split.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
        graph.Node.Add(split);
        return heads.Zip(outputs).ToDictionary(h => h.First.Second.Output, h => h.Second, StringComparer.Ordinal);
    }

    /// <summary>The head's bag x̃ · table (if any) [+ embedding · encoder weights] + bias, as <see cref="LinearMath.AddLogits"/>.</summary>
    private static string LinearLogits(GraphProto graph, TrainedNetwork network, HeadWeights head, LinearHead linear, string prefix, string? bag, string? embeddingInput)
    {
        var labels = head.Labels.Count;
        var sum = bag;
        if (embeddingInput is not null)
        {
            graph.Initializer.Add(FloatTensor($"{prefix}/linear/encoder", linear.EncoderWeights.Span, network.EmbeddingDimension, labels));
            graph.Node.Add(Node("MatMul", [embeddingInput, $"{prefix}/linear/encoder"], $"{prefix}/linear/encoded"));
            sum = sum is null ? $"{prefix}/linear/encoded" : Add(graph, sum, $"{prefix}/linear/encoded", $"{prefix}/linear/features");
        }

        graph.Initializer.Add(FloatTensor($"{prefix}/linear/bias", linear.Bias.Span, labels));
        return sum is null ? $"{prefix}/linear/bias" : Add(graph, sum, $"{prefix}/linear/bias", $"{prefix}/linear/logits");
    }

    private static string Add(GraphProto graph, string left, string right, string output)
    {
        graph.Node.Add(Node("Add", [left, right], output));
        return output;
    }

    private static void Validate(TrainedNetwork network, ModelManifest manifest)
    {
        var hasEncoder = network.EmbeddingDimension > 0;
        if ((manifest.Encoder is not null) != hasEncoder || (manifest.Graph.EmbeddingInput is not null) != hasEncoder ||
            (hasEncoder && (manifest.Graph.EmbeddingDimension != network.EmbeddingDimension || manifest.Encoder!.Dimension != network.EmbeddingDimension)))
        {
            throw new ArgumentException(
                $"The manifest (encoder {manifest.Encoder?.Kind ?? "none"}, embeddingInput {manifest.Graph.EmbeddingInput ?? "none"}, dimension {manifest.Graph.EmbeddingDimension}) does not match the network (embedding dimension {network.EmbeddingDimension}).",
                nameof(manifest));
        }

        var encoderOnly = manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer;
        if (encoderOnly != (network.Buckets == 0))
        {
            throw new ArgumentException($"featurizer.kind '{manifest.Featurizer.Kind}' does not match a network with {network.Buckets} buckets (encoder-only networks have 0 and kind '{FeaturizerSettings.NoFeaturizer}').", nameof(manifest));
        }

        if (manifest.Graph.HiddenDimension != network.HiddenDimension || (!encoderOnly && manifest.Featurizer.Buckets != network.Buckets))
        {
            throw new ArgumentException(
                $"The manifest (buckets {manifest.Featurizer.Buckets}, hidden {manifest.Graph.HiddenDimension}) does not match the network (buckets {network.Buckets}, hidden {network.HiddenDimension}).",
                nameof(manifest));
        }

        if (manifest.Heads.Count != network.Heads.Count)
        {
            throw new ArgumentException($"The manifest has {manifest.Heads.Count} heads, the network {network.Heads.Count}.", nameof(manifest));
        }

        foreach (var (head, spec) in network.Heads.Zip(manifest.Heads))
        {
            if (head.Name != spec.Name || head.Kind != spec.Kind || !head.Labels.SequenceEqual(spec.Labels, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Manifest head '{spec.Name}' does not match network head '{head.Name}' (name, kind and labels in order must agree).", nameof(manifest));
            }
        }
    }

    private static NodeProto Node(string opType, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{output}/{opType}" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
        }

        return node;
    }

    private static TensorProto FloatTensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.Add(dims);
        return tensor;
    }

    /// <summary>Stores float values as float16; callers round them first (see <see cref="TrainedNetwork.WithHalfPrecisionEmbedding"/>) so nothing changes.</summary>
    private static TensorProto HalfTensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan())) };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static TensorProto Int64Tensor(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        return tensor;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };

    private static TensorShapeProto.Types.Dimension Dim(long size) => new() { DimValue = size };
}
