using OpenTicketAI.Testing;
using Onnx;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Training;

namespace OpenTicketAI.Training.Tests.Export;

[Collection(SyntheticModelGroup.Name)]
public sealed class OnnxExporterTests(SyntheticModelFixture model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Exported_graph_matches_the_trainers_forward_pass()
    {
        var target = _directory.Combine("model");
        ModelWriter.Write(model.Result, target);
        using var classifier = TicketClassifier.Load(target);
        var features = model.Featurize(model.HeldOut.Concat(model.Result.TestRows));

        var onnx = classifier.Score(features);
        var trainer = model.Result.Network.Forward(features);

        Assert.Equal(trainer.Length, onnx.Length);
        for (var h = 0; h < onnx.Length; h++)
        {
            Assert.Equal(trainer[h].Length, onnx[h].Length);
            var maxDifference = trainer[h].Zip(onnx[h], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDifference <= 1e-4f, $"head {model.Result.Manifest.Heads[h].Name}: max |trainer - onnx| = {maxDifference}");
        }
    }

    [Fact]
    public void Exported_graph_uses_opset_17_dynamic_batch_and_fixed_label_counts()
    {
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model.Result.Network, model.Result.Manifest));

        Assert.Equal(8, graph.IrVersion);
        Assert.Equal(17, Assert.Single(graph.OpsetImport).Version);
        Assert.Equal(["feature_ids", "feature_weights"], graph.Graph.Input.Select(i => i.Name));
        Assert.All(graph.Graph.Input, i => Assert.Equal(["batch", "n"], i.Type.TensorType.Shape.Dim.Select(d => d.DimParam)));
        Assert.Equal(model.Result.Manifest.Heads.Select(h => h.Output), graph.Graph.Output.Select(o => o.Name));
        foreach (var (output, head) in graph.Graph.Output.Zip(model.Result.Manifest.Heads))
        {
            Assert.Equal("batch", output.Type.TensorType.Shape.Dim[0].DimParam);
            Assert.Equal(head.Labels.Count, output.Type.TensorType.Shape.Dim[1].DimValue);
        }

        string[] allowed = ["Gather", "Cast", "Unsqueeze", "Mul", "ReduceSum", "Add", "Relu", "MatMul", "Div", "Softmax", "Sigmoid", "Sqrt", "Max", "Less", "Sub", "Split", "Squeeze"];
        Assert.All(graph.Graph.Node, node => Assert.Contains(node.OpType, allowed));
    }

    [Fact]
    public void Embedding_table_is_stored_as_float16_with_the_trainers_values()
    {
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model.Result.Network, model.Result.Manifest));
        var table = graph.Graph.Initializer.Single(t => t.Name == "embedding/table");
        var stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(table.RawData.Span);
        var trained = model.Result.Network.Embedding.Span;

        Assert.Equal((int)TensorProto.Types.DataType.Float16, table.DataType);
        Assert.Equal(trained.Length, stored.Length);
        for (var i = 0; i < trained.Length; i++)
        {
            Assert.Equal(trained[i], (float)stored[i]);
        }
    }

    [Fact]
    public void Head_outputs_may_share_names_with_the_graphs_internal_values()
    {
        string[] outputs = ["hidden", "bag", "embedding_table", "head"];
        var manifest = model.Result.Manifest with { Heads = model.Result.Manifest.Heads.Select((h, i) => h with { Output = outputs[i] }).ToArray() };
        var target = _directory.Combine("renamed");

        ModelWriter.Write(OnnxExporter.Export(model.Result.Network, manifest), target, manifest);

        using var classifier = TicketClassifier.Load(target);
        Assert.Equal(4, classifier.Score(model.Featurize(model.HeldOut.Take(3))).Length);
    }

    [Fact]
    public void Export_rejects_a_manifest_that_does_not_match_the_network()
    {
        var manifest = model.Result.Manifest with { Heads = model.Result.Manifest.Heads.Reverse().ToArray() };

        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model.Result.Network, manifest));
    }

    public void Dispose() => _directory.Dispose();
}
