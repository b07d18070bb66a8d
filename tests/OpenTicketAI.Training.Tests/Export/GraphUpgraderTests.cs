using Google.Protobuf;
using Onnx;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Training;

namespace OpenTicketAI.Training.Tests.Export;

[Collection(SyntheticModelGroup.Name)]
public sealed class GraphUpgraderTests(SyntheticModelFixture model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Import_reads_back_every_weight_the_exporter_wrote()
    {
        var network = model.Result.Network;
        var exported = OnnxExporter.Export(network, model.Result.Manifest);

        var imported = OnnxImporter.Import(exported, model.Result.Manifest);

        Assert.True(imported.Heads.Count(h => h.Linear is not null) >= 2, "the fixture must have several linear heads sharing one table");
        Assert.Equal(network.Embedding.ToArray(), imported.Embedding.ToArray());
        Assert.Equal(network.HiddenBias.ToArray(), imported.HiddenBias.ToArray());
        Assert.Equal(network.Idf.ToArray(), imported.Idf.ToArray());
        Assert.Equal(network.WordBuckets, imported.WordBuckets);
        foreach (var (trained, read) in network.Heads.Zip(imported.Heads))
        {
            Assert.Equal(trained.Temperature, read.Temperature);
            Assert.Equal(trained.UsesNetwork, read.UsesNetwork);
            if (trained.UsesNetwork)
            {
                Assert.Equal(trained.Weights.ToArray(), read.Weights.ToArray());
                Assert.Equal(trained.Bias.ToArray(), read.Bias.ToArray());
            }

            Assert.Equal(trained.Linear?.Table.ToArray(), read.Linear?.Table.ToArray());
            Assert.Equal(trained.Linear?.Bias.ToArray(), read.Linear?.Bias.ToArray());
        }

        Assert.Equal(exported, OnnxExporter.Export(imported, model.Result.Manifest));
    }

    [Fact]
    public void Upgrade_rewrites_a_graph_with_one_linear_table_per_head_and_keeps_its_answers_and_files()
    {
        var source = _directory.Combine("legacy");
        var current = OnnxExporter.Export(model.Result.Network, model.Result.Manifest);
        ModelWriter.Write(LegacyLayout(current), source, model.Result.Manifest, new Dictionary<string, byte[]> { ["MODEL_CARD.md"] = "# card"u8.ToArray() });
        var target = _directory.Combine("upgraded");

        var upgrade = GraphUpgrader.Upgrade(source, target);

        Assert.True(upgrade.Written);
        Assert.True(upgrade.NodesAfter < upgrade.NodesBefore, $"nodes {upgrade.NodesBefore} -> {upgrade.NodesAfter}");
        Assert.Equal(current, File.ReadAllBytes(Path.Combine(target, "model.onnx")));
        Assert.Equal("# card"u8.ToArray(), File.ReadAllBytes(Path.Combine(target, "MODEL_CARD.md")));
        using var before = TicketClassifier.Load(source);
        using var after = TicketClassifier.Load(target);
        Assert.Equal((1L, GraphSpec.CurrentLayout), (before.GraphLayout, after.GraphLayout));
        var features = model.Featurize(model.HeldOut);
        foreach (var (old, upgraded) in before.Score(features).Zip(after.Score(features)))
        {
            Assert.True(old.Zip(upgraded, (a, b) => Math.Abs(a - b)).Max() <= 1e-5f);
        }
    }

    [Fact]
    public void Upgrade_in_place_writes_nothing_when_the_graph_is_already_current()
    {
        var target = _directory.Combine("current");
        ModelWriter.Write(model.Result, target);
        var written = File.GetLastWriteTimeUtc(Path.Combine(target, "model.onnx"));

        var upgrade = GraphUpgrader.Upgrade(target, target);

        Assert.False(upgrade.Written);
        Assert.Equal(0f, upgrade.MaxDifference);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(target, "model.onnx")));
    }

    [Fact]
    public void Upgrade_refuses_a_graph_it_cannot_reproduce_and_leaves_the_directory_as_it_was()
    {
        var target = _directory.Combine("edited");
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model.Result.Network, model.Result.Manifest));
        // A hand-edited graph: the first head divides its logits by the temperature twice. The weights read back are
        // the same, so only the output check can tell that the re-export would answer differently.
        var scale = graph.Graph.Node.First(n => n.OpType == "Div" && n.Input[1].EndsWith("/temperature", StringComparison.Ordinal));
        var twice = new NodeProto { OpType = "Div", Name = "edited/Div" };
        twice.Input.Add([scale.Output[0], scale.Input[1]]);
        twice.Output.Add("edited/scaled");
        graph.Graph.Node.Insert(graph.Graph.Node.IndexOf(scale) + 1, twice);
        graph.Graph.Node.Single(n => n.OpType == "Softmax" && n.Input[0] == scale.Output[0]).Input[0] = "edited/scaled";
        ModelWriter.Write(graph.ToByteArray(), target, model.Result.Manifest);
        var stored = File.ReadAllBytes(Path.Combine(target, "model.onnx"));

        var error = Assert.Throws<ModelLoadException>(() => GraphUpgrader.Upgrade(target, target));

        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Equal(stored, File.ReadAllBytes(Path.Combine(target, "model.onnx")));
    }

    /// <summary>
    /// The graph as exporters before the shared linear table wrote it (graph layout 1): one float16 table per linear head
    /// (<c>head/{output}/linear/table</c>), gathered, cast, weighted and summed per head.
    /// </summary>
    private static byte[] LegacyLayout(byte[] current)
    {
        var model = ModelProto.Parser.ParseFrom(current);
        var graph = model.Graph;
        var shared = graph.Initializer.Single(t => t.Name == "linear/table");
        var widths = graph.Initializer.Single(t => t.Name == "linear/widths").Int64Data.ToArray();
        var split = graph.Node.Single(n => n.OpType == "Split");
        var width = (int)widths.Sum();
        var buckets = (int)shared.Dims[0];
        var halves = shared.RawData.ToByteArray();

        var nodes = new List<NodeProto>
        {
            Node("Unsqueeze", ["linear/normalized", "axes/last"], "linear/column"),
        };
        graph.Initializer.Add(new TensorProto { Name = "axes/last", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 1 }, Int64Data = { -1 } });
        var offset = 0;
        foreach (var (bag, labels) in split.Output.Zip(widths))
        {
            var prefix = bag[..^"/bag".Length];
            var table = new byte[buckets * labels * 2];
            for (var bucket = 0; bucket < buckets; bucket++)
            {
                Array.Copy(halves, ((bucket * width) + offset) * 2, table, bucket * labels * 2, labels * 2);
            }

            graph.Initializer.Add(new TensorProto { Name = $"{prefix}/table", DataType = shared.DataType, Dims = { buckets, labels }, RawData = ByteString.CopyFrom(table) });
            nodes.Add(Node("Gather", [$"{prefix}/table", "feature_ids"], $"{prefix}/rows16"));
            nodes.Add(Node("Cast", [$"{prefix}/rows16"], $"{prefix}/rows", new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float }));
            nodes.Add(Node("Mul", [$"{prefix}/rows", "linear/column"], $"{prefix}/weighted"));
            nodes.Add(Node("ReduceSum", [$"{prefix}/weighted", "axes/features"], bag, new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 }));
            offset += (int)labels;
        }

        var at = graph.Node.IndexOf(graph.Node.Single(n => n.Output[0] == "linear/rows16"));
        foreach (var replaced in graph.Node.Where(n => n.Output[0] is "linear/rows16" or "linear/rows" or "linear/product" or "linear/bags" || n.OpType == "Split").ToList())
        {
            graph.Node.Remove(replaced);
        }

        foreach (var node in Enumerable.Reverse(nodes))
        {
            graph.Node.Insert(at, node);
        }

        graph.Initializer.Remove(shared);
        graph.Initializer.Remove(graph.Initializer.Single(t => t.Name == "linear/widths"));
        model.ModelVersion = 1;
        return model.ToByteArray();
    }

    private static NodeProto Node(string opType, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{output}/{opType}" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        return node;
    }

    public void Dispose() => _directory.Dispose();
}
