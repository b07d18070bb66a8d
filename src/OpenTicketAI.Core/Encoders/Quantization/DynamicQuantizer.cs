using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace OpenTicketAI.Core.Encoders.Quantization;

/// <summary>How <see cref="DynamicQuantizer"/> quantises weights.</summary>
public sealed record QuantizationOptions
{
    /// <summary>One scale per output column of each weight matrix (else one per matrix).</summary>
    public bool PerColumn { get; init; } = true;

    /// <summary>
    /// Weights in [-63, 63] instead of [-127, 127]: CPUs without VNNI multiply uint8 activations by int8 weights in
    /// saturating 16-bit pairs, which 7-bit weights cannot overflow.
    /// </summary>
    public bool ReduceRange { get; init; } = true;
}

/// <summary>
/// Dynamic int8 quantisation of a float ONNX graph, as ONNX Runtime's <c>quantize_dynamic</c> does it: every MatMul whose
/// second input is a float initializer [K, N] becomes <c>DynamicQuantizeLinear(A) → MatMulInteger(A_q, W_q, A_zp) →
/// Cast → Mul(A_scale × W_scale)</c>, with W quantised symmetrically to int8 (zero point 0) once, here. ONNX Runtime's
/// graph optimiser fuses the pattern into <c>MatMulIntegerToFloat</c>; MatMuls reading the same activation share one
/// <c>DynamicQuantizeLinear</c>. The output is a deterministic function of the input bytes and the options.
/// </summary>
public static class DynamicQuantizer
{
    private const string Suffix = "_otai_q";

    /// <summary>The quantised graph; throws <see cref="EncoderException"/> when the bytes are not an ONNX model.</summary>
    public static byte[] Quantize(byte[] onnx, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        options ??= new QuantizationOptions();
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new EncoderException($"the encoder is not a readable ONNX graph: {ex.Message}", ex);
        }

        Quantize(model.Graph, options);
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = "otai.quantization",
            Value = $"dynamic int8, {(options.PerColumn ? "per column" : "per tensor")}, {(options.ReduceRange ? "7-bit" : "8-bit")} weights",
        });
        return model.ToByteArray();
    }

    /// <summary>MatMuls whose second input is a constant float matrix (what <see cref="Quantize(byte[], QuantizationOptions?)"/> rewrites).</summary>
    public static int CountFloatWeightMatMuls(byte[] onnx)
    {
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        var floats = FloatMatrices(graph);
        return graph.Node.Count(n => n.OpType == "MatMul" && n.Input.Count == 2 && floats.ContainsKey(n.Input[1]));
    }

    private static void Quantize(GraphProto graph, QuantizationOptions options)
    {
        var floats = FloatMatrices(graph);
        var weights = new Dictionary<string, (string Values, string Scale)>(StringComparer.Ordinal);
        var activations = new Dictionary<string, (string Values, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>(graph.Node.Count);
        var added = new List<TensorProto>();
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length > 0 || node.Input.Count != 2 || !floats.TryGetValue(node.Input[1], out var weight))
            {
                nodes.Add(node);
                continue;
            }

            if (!weights.TryGetValue(weight.Name, out var quantized))
            {
                var (values, scales) = QuantizeWeight(weight, options);
                added.Add(values);
                added.Add(scales);
                quantized = (values.Name, scales.Name);
                weights[weight.Name] = quantized;
            }

            var input = node.Input[0];
            if (!activations.TryGetValue(input, out var activation))
            {
                activation = (input + Suffix, input + "_scale" + Suffix, input + "_zero_point" + Suffix);
                activations[input] = activation;
                nodes.Add(Node("DynamicQuantizeLinear", input + "_quantize" + Suffix, [input], [activation.Values, activation.Scale, activation.ZeroPoint]));
            }

            var name = node.Name.Length > 0 ? node.Name : node.Output[0];
            var product = node.Output[0] + "_int32" + Suffix;
            var converted = node.Output[0] + "_float" + Suffix;
            var scale = node.Output[0] + "_scale" + Suffix;
            nodes.Add(Node("MatMulInteger", name + "_integer" + Suffix, [activation.Values, quantized.Values, activation.ZeroPoint], [product]));
            nodes.Add(Node("Mul", name + "_scales" + Suffix, [activation.Scale, quantized.Scale], [scale]));
            var cast = Node("Cast", name + "_cast" + Suffix, [product], [converted]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
            nodes.Add(cast);
            nodes.Add(Node("Mul", name + "_rescale" + Suffix, [converted, scale], [node.Output[0]]));
        }

        var used = new HashSet<string>(nodes.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)), StringComparer.Ordinal);
        var kept = graph.Initializer.Where(i => used.Contains(i.Name)).Concat(added).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        var unused = graph.Input.Where(i => floats.ContainsKey(i.Name) && !used.Contains(i.Name)).ToList();
        foreach (var input in unused)
        {
            graph.Input.Remove(input);
        }
    }

    /// <summary>Float initializers of rank 2 that no graph input can override.</summary>
    private static Dictionary<string, TensorProto> FloatMatrices(GraphProto graph)
    {
        var overridable = new HashSet<string>(graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        return graph.Initializer
            .Where(i => i.DataType == (int)TensorProto.Types.DataType.Float && i.Dims.Count == 2 && !overridable.Contains(i.Name) && i.DataLocation != TensorProto.Types.DataLocation.External)
            .ToDictionary(i => i.Name, StringComparer.Ordinal);
    }

    /// <summary>Symmetric int8 weights (zero point 0) and their float scales, [N] per column or [] per tensor.</summary>
    private static (TensorProto Values, TensorProto Scale) QuantizeWeight(TensorProto weight, QuantizationOptions options)
    {
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        ReadOnlySpan<float> values = weight.FloatData.Count > 0 ? weight.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(weight.RawData.Span);
        if (values.Length != rows * columns)
        {
            throw new EncoderException($"initializer '{weight.Name}' holds {values.Length} values; its shape {rows}x{columns} needs {rows * columns}.");
        }

        var limit = options.ReduceRange ? 63f : 127f;
        var scales = new float[options.PerColumn ? columns : 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var s = options.PerColumn ? c : 0;
                scales[s] = MathF.Max(scales[s], MathF.Abs(values[(r * columns) + c]));
            }
        }

        for (var s = 0; s < scales.Length; s++)
        {
            scales[s] = scales[s] > 0 ? scales[s] / limit : 1f;
        }

        var quantized = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var q = MathF.Round(values[(r * columns) + c] / scales[options.PerColumn ? c : 0], MidpointRounding.ToEven);
                quantized[(r * columns) + c] = (sbyte)Math.Clamp(q, -limit, limit);
            }
        }

        var tensor = new TensorProto { Name = weight.Name + Suffix, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantized.AsSpan())) };
        tensor.Dims.Add(rows);
        tensor.Dims.Add(columns);
        var scale = new TensorProto { Name = weight.Name + "_scale" + Suffix, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(scales.AsSpan())) };
        if (options.PerColumn)
        {
            scale.Dims.Add(columns);
        }

        return (tensor, scale);
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }
}
