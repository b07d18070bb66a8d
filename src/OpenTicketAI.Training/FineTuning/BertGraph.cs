using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace OpenTicketAI.Training.FineTuning;

/// <summary>
/// A BERT-style encoder ONNX graph as Hugging Face exports it (all-MiniLM-L6-v2 and kin): finds each layer's weights by
/// the standard <c>encoder.layer.N.*</c> initializer names (a MatMul weight is the initializer multiplied before its
/// named bias is added), reads them, and writes fine-tuned ones back into a copy of the graph.
/// </summary>
internal sealed class BertGraph
{
    private static readonly string[] BiasNames =
    [
        "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
    ];

    private readonly ModelProto _model;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly string[][] _tensorNames;
    private readonly string[] _layerInputs;

    private BertGraph(ModelProto model)
    {
        _model = model;
        var graph = model.Graph;
        _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }
        }

        var layers = new List<string[]>();
        var inputs = new List<string> { OutputOfAddWith(graph, "embeddings.LayerNorm.bias") };
        while (_initializers.ContainsKey($"encoder.layer.{layers.Count}.attention.self.query.bias"))
        {
            var prefix = $"encoder.layer.{layers.Count}.";
            string Weight(string bias) => WeightBefore(graph, producers, prefix + bias + ".bias");
            var names = new List<string>();
            foreach (var name in BiasNames)
            {
                names.Add(Weight(name));
                names.Add(prefix + name + ".bias");
            }

            names.Add(prefix + "attention.output.LayerNorm.weight");
            names.Add(prefix + "attention.output.LayerNorm.bias");
            names.Add(Weight("intermediate.dense"));
            names.Add(prefix + "intermediate.dense.bias");
            names.Add(Weight("output.dense"));
            names.Add(prefix + "output.dense.bias");
            names.Add(prefix + "output.LayerNorm.weight");
            names.Add(prefix + "output.LayerNorm.bias");
            var missing = names.FirstOrDefault(n => !_initializers.ContainsKey(n));
            if (missing is not null)
            {
                throw new FineTuningException($"the encoder graph has no initializer '{missing}'; fine-tuning needs a BERT export with Hugging Face's weight names.");
            }

            layers.Add([.. names]);
            inputs.Add(OutputOfAddWith(graph, prefix + "output.LayerNorm.bias"));
        }

        if (layers.Count == 0)
        {
            throw new FineTuningException("the encoder graph has no 'encoder.layer.0.*' weights; fine-tuning needs a BERT export with Hugging Face's weight names.");
        }

        _tensorNames = [.. layers];
        _layerInputs = [.. inputs];
        Dimension = (int)_initializers[_tensorNames[0][1]].Dims[0];
        Intermediate = (int)_initializers[_tensorNames[0][11]].Dims[0];
        Heads = Dimension / HeadDimension(graph, producers);
    }

    public int Layers => _tensorNames.Length;

    public int Dimension { get; }

    public int Intermediate { get; }

    public int Heads { get; }

    public static BertGraph Parse(byte[] onnx)
    {
        try
        {
            return new BertGraph(ModelProto.Parser.ParseFrom(onnx));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FineTuningException($"the encoder is not a readable ONNX graph: {ex.Message}", ex);
        }
    }

    public TransformerLayerWeights ReadLayer(int layer)
    {
        var weights = new TransformerLayerWeights(Dimension, Intermediate, Heads);
        for (var i = 0; i < TransformerLayerWeights.Count; i++)
        {
            var values = Read(_initializers[_tensorNames[layer][i]]);
            if (values.Length != weights.Tensors[i].Length)
            {
                throw new FineTuningException($"initializer '{_tensorNames[layer][i]}' has {values.Length} values; {weights.Tensors[i].Length} expected for a {Dimension}-d layer.");
            }

            values.CopyTo(weights.Tensors[i], 0);
        }

        return weights;
    }

    /// <summary>A copy of the graph whose outputs are the hidden states entering <paramref name="layer"/> and leaving the last layer.</summary>
    public byte[] WithStatesBefore(int layer)
    {
        var model = _model.Clone();
        model.Graph.Output.Clear();
        model.Graph.Output.Add(TokenStates(_layerInputs[layer]));
        if (layer != Layers)
        {
            model.Graph.Output.Add(TokenStates(_layerInputs[Layers]));
        }

        return model.ToByteArray();
    }

    /// <summary>The name of the graph tensor holding the states entering <paramref name="layer"/> (<see cref="Layers"/>: the last layer's output).</summary>
    public string StatesBefore(int layer) => _layerInputs[layer];

    /// <summary>A copy of the original graph (same inputs and outputs) with the given layers' weights replaced.</summary>
    public byte[] WithLayers(IReadOnlyDictionary<int, TransformerLayerWeights> layers)
    {
        var model = _model.Clone();
        var initializers = model.Graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (layer, weights) in layers)
        {
            for (var i = 0; i < TransformerLayerWeights.Count; i++)
            {
                var tensor = initializers[_tensorNames[layer][i]];
                tensor.FloatData.Clear();
                tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weights.Tensors[i].AsSpan()));
            }
        }

        return model.ToByteArray();
    }

    /// <summary>
    /// A copy of the graph whose one output, <c>token_embeddings</c> [batch, tokens, (layers + 1) x D], concatenates the
    /// embedding layer's and every encoder layer's states, so mean pooling sees lexical as well as contextual features.
    /// </summary>
    public byte[] WithAllLayers()
    {
        var model = _model.Clone();
        var concat = new NodeProto { OpType = "Concat", Name = "otai_concat_layers" };
        concat.Input.AddRange(_layerInputs);
        concat.Output.Add(AllLayersOutput);
        concat.Attribute.Add(new AttributeProto { Name = "axis", I = 2, Type = AttributeProto.Types.AttributeType.Int });
        model.Graph.Node.Add(concat);
        model.Graph.Output.Clear();
        model.Graph.Output.Add(TokenStates(AllLayersOutput, _layerInputs.Length * Dimension));
        return model.ToByteArray();
    }

    public const string AllLayersOutput = "token_embeddings";

    private static ValueInfoProto TokenStates(string name, int dimension = 0)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "tokens" });
        shape.Dim.Add(dimension > 0 ? new TensorShapeProto.Types.Dimension { DimValue = dimension } : new TensorShapeProto.Types.Dimension { DimParam = "dimension" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static float[] Read(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new FineTuningException($"initializer '{tensor.Name}' is not float32; fine-tuning needs a float32 encoder.");
        }

        return tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    private static string OutputOfAddWith(GraphProto graph, string initializer) =>
        graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(initializer))?.Output[0]
        ?? throw new FineTuningException($"the encoder graph adds no '{initializer}'; fine-tuning needs a BERT export with Hugging Face's weight names.");

    /// <summary>The MatMul weight whose product the bias is added to.</summary>
    private static string WeightBefore(GraphProto graph, Dictionary<string, NodeProto> producers, string bias)
    {
        var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(bias));
        var product = add?.Input.FirstOrDefault(i => i != bias);
        if (product is null || !producers.TryGetValue(product, out var matMul) || matMul.OpType != "MatMul")
        {
            throw new FineTuningException($"the encoder graph does not add '{bias}' to a MatMul; fine-tuning needs a BERT export with Hugging Face's weight names.");
        }

        return matMul.Input[1];
    }

    /// <summary>√(head dimension) is the constant the attention scores (a MatMul of two activations) are divided by.</summary>
    private int HeadDimension(GraphProto graph, Dictionary<string, NodeProto> producers)
    {
        var constants = graph.Node.Where(n => n.OpType == "Constant" && n.Attribute.Count == 1 && n.Attribute[0].T is not null)
            .ToDictionary(n => n.Output[0], n => n.Attribute[0].T, StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.OpType == "Div"))
        {
            if (producers.TryGetValue(node.Input[0], out var scores) && scores.OpType == "MatMul"
                && !_initializers.ContainsKey(scores.Input[0]) && !_initializers.ContainsKey(scores.Input[1])
                && (constants.TryGetValue(node.Input[1], out var divisor) || _initializers.TryGetValue(node.Input[1], out divisor))
                && Read(divisor) is [var root])
            {
                var headDimension = (int)MathF.Round(root * root);
                if (headDimension > 0 && Dimension % headDimension == 0)
                {
                    return headDimension;
                }
            }
        }

        throw new FineTuningException("cannot find the attention scale (scores divided by √head size) in the encoder graph.");
    }
}

/// <summary>An encoder that cannot be fine-tuned, with the reason.</summary>
public sealed class FineTuningException(string message, Exception? inner = null) : Exception(message, inner);
