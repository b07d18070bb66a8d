using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai upgrade --model DIR [--out DIR]</c> on the shared fixture model.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class UpgradeCommandTests(TrainedModelFixture model) : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Upgrade_writes_the_model_to_out_and_reports_the_node_counts_and_output_difference()
    {
        var run = await OtaiProcess.RunAsync(_work.Path, ["upgrade", "--model", model.ModelDirectory, "--out", "upgraded"]);

        CliAssert.Succeeds(run);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("graph nodes ", StringComparison.Ordinal) && l.Contains("probe rows", StringComparison.Ordinal));
        using var classifier = TicketClassifier.Load(_work.Combine("upgraded"));
        Assert.Equal(ModelDirectory.ReadManifest(model.ModelDirectory).Version, classifier.Manifest.Version);
    }

    [Fact]
    public async Task Upgrade_of_a_directory_without_a_model_fails_with_one_line_naming_model_json()
    {
        Directory.CreateDirectory(_work.Combine("empty"));

        var run = await OtaiProcess.RunAsync(_work.Path, ["upgrade", "--model", "empty"]);

        CliAssert.FailsWithUserError(run, "model.json", "file not found");
    }

    [Fact]
    public async Task Upgrade_of_a_model_whose_graph_is_not_onnx_fails_with_one_line_and_leaves_the_directory_unchanged()
    {
        var copy = _work.Combine("broken");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.ModelDirectory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(copy, "model.onnx"), "not a graph");

        var run = await OtaiProcess.RunAsync(_work.Path, ["upgrade", "--model", "broken"]);

        CliAssert.FailsWithUserError(run, "model.onnx", "not an ONNX model");
        Assert.Equal("not a graph", File.ReadAllText(Path.Combine(copy, "model.onnx")));
    }

    public void Dispose() => _work.Dispose();
}
