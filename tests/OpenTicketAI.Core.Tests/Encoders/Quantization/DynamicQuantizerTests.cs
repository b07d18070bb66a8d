using System.Numerics.Tensors;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Encoders.Quantization;

namespace OpenTicketAI.Core.Tests.Encoders.Quantization;

public sealed class DynamicQuantizerTests
{
    private const int Rows = 6;
    private const int Inner = 48;
    private const int Columns = 40;

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Quantized_projection_matches_the_float_graph_within_the_quantisation_step(bool perColumn, bool reduceRange)
    {
        var (graph, input, weight) = GeneratedGraph(seed: 7);
        var options = new QuantizationOptions { PerColumn = perColumn, ReduceRange = reduceRange };

        var expected = Run(graph, input);
        var actual = Run(DynamicQuantizer.Quantize(graph, options), input);

        // |error| <= sum_k |x_k| * weight step / 2 + |w_k| * activation step / 2 (+ their product), per output.
        var weightStep = weight.Select(MathF.Abs).Max() / (reduceRange ? 63f : 127f);
        var activationStep = (input.Max() - Math.Min(0f, input.Min())) / 255f;
        var bound = (Inner * input.Select(MathF.Abs).Max() * weightStep / 2) + (Inner * weight.Select(MathF.Abs).Max() * activationStep / 2) + (Inner * weightStep * activationStep);
        var worst = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
        Assert.True(worst <= bound, $"max |float - int8| {worst}, bound {bound}");
        Assert.True(TensorPrimitives.CosineSimilarity(expected, actual) > 0.999f);
    }

    [Fact]
    public void Only_matmuls_with_a_constant_weight_are_rewritten_and_the_float_weight_is_dropped()
    {
        var (graph, _, _) = GeneratedGraph(seed: 3);

        var quantized = ModelProto.Parser.ParseFrom(DynamicQuantizer.Quantize(graph));

        Assert.Equal(1, DynamicQuantizer.CountFloatWeightMatMuls(graph));
        Assert.Equal(0, DynamicQuantizer.CountFloatWeightMatMuls(quantized.ToByteArray()));
        Assert.Equal(["DynamicQuantizeLinear", "MatMulInteger", "Mul", "Cast", "Mul", "Transpose", "MatMul"], quantized.Graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(quantized.Graph.Initializer, i => i.Name == "weight");
        Assert.Equal(TensorProto.Types.DataType.Int8, (TensorProto.Types.DataType)quantized.Graph.Initializer.Single(i => i.Dims.Count == 2).DataType);
    }

    [Fact]
    public void Quantizing_the_same_graph_twice_gives_the_same_bytes()
    {
        var (graph, _, _) = GeneratedGraph(seed: 11);

        Assert.Equal(DynamicQuantizer.Quantize(graph), DynamicQuantizer.Quantize(graph));
        Assert.NotEqual(DynamicQuantizer.Quantize(graph), DynamicQuantizer.Quantize(graph, new QuantizationOptions { PerColumn = false }));
    }

    [Fact]
    public void Bytes_that_are_not_onnx_are_refused_with_an_encoder_error()
    {
        Assert.Throws<EncoderException>(() => DynamicQuantizer.Quantize([0xff, 0xff, 0xff, 0x01]));
    }

    /// <summary><c>h = MatMul(x, W)</c> with W a constant [48, 40] whose columns differ in range, then <c>MatMul(h, hᵀ)</c> of two activations.</summary>
    private static (byte[] Graph, float[] Input, float[] Weight) GeneratedGraph(int seed)
    {
        var random = new Random(seed);
        var weight = Enumerable.Range(0, Inner * Columns).Select(i => (float)(random.NextDouble() - 0.5) * (1 + (i % Columns) / 4f)).ToArray();
        var input = Enumerable.Range(0, Rows * Inner).Select(_ => (float)((random.NextDouble() * 3) - 1)).ToArray();
        var graph = new GraphProto { Name = "generated" };
        graph.Input.Add(Value("x", Rows, Inner));
        graph.Output.Add(Value("h", Rows, Columns));
        graph.Output.Add(Value("scores", Rows, Rows));
        var tensor = new TensorProto { Name = "weight", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weight.AsSpan())) };
        tensor.Dims.Add(Inner);
        tensor.Dims.Add(Columns);
        graph.Initializer.Add(tensor);
        graph.Node.Add(Node("MatMul", ["x", "weight"], "h"));
        graph.Node.Add(Node("Transpose", ["h"], "h_t"));
        graph.Node.Add(Node("MatMul", ["h", "h_t"], "scores"));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return (model.ToByteArray(), input, weight);
    }

    private static float[] Run(byte[] graph, float[] input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(graph, options);
        using var x = OrtValue.CreateTensorValueFromMemory(input, [Rows, Inner]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [x], ["h"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Value(string name, int rows, int columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}
