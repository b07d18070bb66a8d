using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai train --data FILE ...</c>: the shared fixture model, trained from a CSV export with a column mapping.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class TrainCommandTests(TrainedModelFixture model)
{
    [Fact]
    public void Train_from_csv_with_column_mapping_writes_a_complete_model_directory()
    {
        CliAssert.Succeeds(model.Training);
        foreach (var file in new[] { "model.json", "model.onnx", "eval.json", "eval.html", "MODEL_CARD.md", "recipe.json" })
        {
            Assert.True(File.Exists(Path.Combine(model.ModelDirectory, file)), $"{file} is missing\n{model.Training}");
        }

        CliAssert.NoStagingDirectoriesBeside(model.ModelDirectory);
        // Spectre.Console wraps redirected output at 80 columns, so look for the path with line breaks removed.
        var printed = string.Concat(model.Training.Stdout.Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains("wrote" + model.ModelDirectory, printed, StringComparison.Ordinal);
        Assert.StartsWith("# Model card: model ", File.ReadAllText(Path.Combine(model.ModelDirectory, "MODEL_CARD.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_names_heads_after_the_label_options_and_reads_labels_from_the_mapped_columns()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(model.ModelDirectory, "model.json")))!;
        var heads = manifest["heads"]!.AsArray().ToDictionary(h => h!["name"]!.GetValue<string>(), h => h!);

        Assert.Equal(["kind", "priority", "queue", "tags"], heads.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("MultiLabel", heads["tags"]["kind"]!.GetValue<string>());
        Assert.Equal(["Billing", "Sales", "Technical Support"], LabelsOf(heads["queue"]));
        Assert.Equal(["high", "low", "medium"], LabelsOf(heads["priority"]));
        Assert.Equal(["Incident", "Request"], LabelsOf(heads["kind"]));
        Assert.Equal(["hardware", "login", "outage", "pricing", "refund"], LabelsOf(heads["tags"]));
        Assert.Equal("model", manifest["name"]!.GetValue<string>());

        var recipe = JsonNode.Parse(File.ReadAllText(Path.Combine(model.ModelDirectory, "recipe.json")))!;
        var source = recipe["sources"]![0]!;
        Assert.Equal(TrainedModelFixture.TrainingFile, source["path"]!.GetValue<string>());
        Assert.Equal("type", source["labels"]!["kind"]!.GetValue<string>());
        Assert.Equal("tag_*", source["tags"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trained_model_classifies_held_out_tickets_with_queue_accuracy_of_at_least_90_percent()
    {
        var run = await OtaiProcess.RunAsync(model.Directory, "predict", "--model", TrainedModelFixture.ModelName, "--input", TrainedModelFixture.HeldOutFile, "--id", "id");

        CliAssert.Succeeds(run);
        var predicted = PredictionLine.ParseAll(run.StdoutLines).ToDictionary(p => p.Id!, p => p.Label("queue"));
        var truth = model.HeldOut.ToDictionary(t => t.Id, t => t.Queue);
        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), predicted.Keys.Order(StringComparer.Ordinal));
        var accuracy = truth.Count(t => predicted[t.Key] == t.Value) / (double)truth.Count;
        Assert.True(accuracy >= 0.9, $"queue accuracy {accuracy:0.000} on {truth.Count} held-out tickets");
    }

    [Fact]
    public async Task Train_replaces_an_earlier_model_at_out()
    {
        using var work = new TempDirectory();
        model.CopyModelTo(work.Combine("model"));
        work.Write("tickets.csv", TicketFiles.Csv(FixtureTicket.Synthetic(200, seed: 3)));

        var run = await OtaiProcess.RunAsync(work.Path, ["train", "--data", "tickets.csv", "--label", "queue", "--out", "model", "--model-version", "2.0.0", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(run);
        var manifest = JsonNode.Parse(File.ReadAllText(work.Combine("model/model.json")))!;
        Assert.Equal("2.0.0", manifest["version"]!.GetValue<string>());
        Assert.Equal("queue", Assert.Single(manifest["heads"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(["model", "tickets.csv"], Directory.GetFileSystemEntries(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string[] LabelsOf(JsonNode head) => head["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
}
