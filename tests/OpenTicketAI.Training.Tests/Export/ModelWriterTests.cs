using OpenTicketAI.Testing;
using System.Text;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Training;

namespace OpenTicketAI.Training.Tests.Export;

[Collection(SyntheticModelGroup.Name)]
public sealed class ModelWriterTests(SyntheticModelFixture model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Target => _directory.Combine("default");

    [Fact]
    public void Writer_creates_a_loadable_model_directory_with_the_extra_files()
    {
        var extra = new Dictionary<string, byte[]> { ["MODEL_CARD.md"] = Encoding.UTF8.GetBytes("# Synthetic"), ["eval.json"] = "{}"u8.ToArray() };

        ModelWriter.Write(model.Result, Target, extraFiles: extra);

        Assert.Equal(["MODEL_CARD.md", "eval.json", "model.json", "model.onnx"], Directory.GetFiles(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var classifier = TicketClassifier.Load(Target);
        Assert.Equal(model.Result.Manifest.Heads.Select(h => h.Name), classifier.Manifest.Heads.Select(h => h.Name));
        Assert.Equal(model.Result.Manifest.Heads[2].Thresholds, classifier.Manifest.Heads[2].Thresholds);
        Assert.Equal(model.Result.Manifest.Training.LabelCounts["queue"], classifier.Manifest.Training.LabelCounts["queue"]);
        Assert.Equal(["default"], EntriesBesideTarget());
    }

    [Fact]
    public void Writer_replaces_an_existing_model_directory()
    {
        ModelWriter.Write(model.Result, Target, extraFiles: new Dictionary<string, byte[]> { ["old-only.txt"] = [1] });

        ModelWriter.Write(model.Result, Target, model.Result.Manifest with { Version = "2.0.0" });

        Assert.Equal("2.0.0", ModelDirectory.ReadManifest(Target).Version);
        Assert.False(File.Exists(Path.Combine(Target, "old-only.txt")));
        Assert.Equal(["default"], EntriesBesideTarget());
    }

    [Fact]
    public void Model_the_classifier_rejects_leaves_the_old_directory_intact_and_nothing_beside_it()
    {
        ModelWriter.Write(model.Result, Target);
        var before = Snapshot(Target);
        var heads = model.Result.Manifest.Heads.Select((h, i) => i == 0 ? h with { Output = "not_in_graph" } : h).ToArray();
        var graph = OnnxExporter.Export(model.Result.Network, model.Result.Manifest);

        var error = Assert.Throws<ModelLoadException>(() => ModelWriter.Write(graph, Target, model.Result.Manifest with { Heads = heads }));

        Assert.Contains("not_in_graph", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Target));
        Assert.Equal(["default"], EntriesBesideTarget());
    }

    [Fact]
    public void Failed_first_write_leaves_no_target_and_no_staging_directory()
    {
        var graph = "not an onnx graph"u8.ToArray();

        Assert.Throws<ModelLoadException>(() => ModelWriter.Write(graph, Target, model.Result.Manifest));

        Assert.Empty(EntriesBesideTarget());
    }

    [Theory]
    [InlineData("../escape.md")]
    [InlineData("model.json")]
    [InlineData("sub/eval.json")]
    public void Unsafe_extra_file_names_are_rejected_before_anything_is_written(string fileName)
    {
        ModelWriter.Write(model.Result, Target);
        var before = Snapshot(Target);

        Assert.Throws<ArgumentException>(() => ModelWriter.Write(model.Result, Target, extraFiles: new Dictionary<string, byte[]> { [fileName] = [1] }));

        Assert.Equal(before, Snapshot(Target));
        Assert.Equal(["default"], EntriesBesideTarget());
    }

    public void Dispose() => _directory.Dispose();

    private string[] EntriesBesideTarget() => Directory.GetFileSystemEntries(_directory.Path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    private static Dictionary<string, string> Snapshot(string directory) => Directory.GetFiles(directory).ToDictionary(
        f => Path.GetFileName(f),
        f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
