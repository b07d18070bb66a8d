using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai train</c> from a recipe file, from JSONL, and on a taxonomy of its own: data decides the heads and labels, not code.</summary>
public sealed class TrainingSourcesTests : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Train_from_a_recipe_resolves_data_paths_against_the_recipe_directory()
    {
        _work.Write("project/data/tickets.csv", TicketFiles.Csv(FixtureTicket.Synthetic(300)));
        _work.Write("project/recipes/helpdesk.json", """
            // Comments and trailing commas are allowed.
            {
              "name": "helpdesk",
              "heads": { "queue": "single", "priority": "single", "tags": "multi" },
              "sources": [
                {
                  "path": "../data/tickets.csv",
                  "labels": {
                    "queue": "queue",
                    "priority": { "column": "priority", "map": { "low": "Low", "medium": "Medium", "high": "High" } },
                  },
                  "tags": "tag_*",
                },
              ],
              "trainer": { "featurizer": { "buckets": 4096 }, "hiddenDimension": 16, "maxEpochs": 8 },
            }
            """);
        Directory.CreateDirectory(_work.Combine("elsewhere"));

        var run = await OtaiProcess.RunAsync(_work.Combine("elsewhere"), "train", "--recipe", "../project/recipes/helpdesk.json", "--out", "models/helpdesk");

        CliAssert.Succeeds(run);
        var directory = _work.Combine("elsewhere/models/helpdesk");
        var manifest = ReadJson(directory, "model.json");
        Assert.Equal("helpdesk", manifest["name"]!.GetValue<string>());
        Assert.Equal(["High", "Low", "Medium"], Labels(manifest, "priority"));
        Assert.Equal(16, manifest["graph"]!["hiddenDimension"]!.GetValue<int>());
        Assert.Equal("../data/tickets.csv", manifest["training"]!["sources"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("helpdesk", ReadJson(directory, "recipe.json")["name"]!.GetValue<string>());
        CliAssert.NoStagingDirectoriesBeside(directory);
    }

    [Fact]
    public async Task Train_from_jsonl_reads_tags_from_an_array_field()
    {
        _work.Write("tickets.jsonl", TicketFiles.Jsonl(FixtureTicket.Synthetic(300)));

        var run = await OtaiProcess.RunAsync(_work.Path, ["train", "--data", "tickets.jsonl", "--label", "queue", "--tags", "tags", "--out", "model", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(run);
        var manifest = ReadJson(_work.Combine("model"), "model.json");
        Assert.Equal(["queue", "tags"], manifest["heads"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["hardware", "login", "outage", "pricing", "refund"], Labels(manifest, "tags"));
    }

    [Fact]
    public async Task A_taxonomy_of_20_hierarchical_queues_and_5_priorities_trains_and_predicts_with_no_code_change()
    {
        _work.Write("queues.csv", TicketFiles.Csv(HierarchicalTickets.Generate(perQueue: 20, seed: 1)));
        var heldOut = HierarchicalTickets.Generate(perQueue: 3, seed: 2);
        _work.Write("held-out.csv", TicketFiles.Csv(heldOut, withId: true));

        var train = await OtaiProcess.RunAsync(_work.Path, ["train", "--data", "queues.csv", "--label", "queue", "--label", "priority", "--out", "model", .. OtaiProcess.SmallModel]);
        var predict = await OtaiProcess.RunAsync(_work.Path, "predict", "--model", "model", "--input", "held-out.csv", "--id", "id");

        CliAssert.Succeeds(train);
        CliAssert.Succeeds(predict);
        var manifest = ReadJson(_work.Combine("model"), "model.json");
        Assert.Equal(HierarchicalTickets.Queues.Order(StringComparer.Ordinal), Labels(manifest, "queue"));
        Assert.Equal(HierarchicalTickets.Priorities.Order(StringComparer.Ordinal), Labels(manifest, "priority"));

        var truth = heldOut.ToDictionary(t => t.Id, t => t.Queue);
        var predicted = PredictionLine.ParseAll(predict.StdoutLines);
        Assert.Equal(heldOut.Select(t => t.Id), predicted.Select(p => p.Id));
        var accuracy = predicted.Count(p => p.Label("queue") == truth[p.Id!]) / (double)truth.Count;
        Assert.True(accuracy >= 0.85, $"queue accuracy {accuracy:0.000} over {HierarchicalTickets.Queues.Count} queues");
    }

    public void Dispose() => _work.Dispose();

    private static JsonNode ReadJson(string directory, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(directory, file)))!;

    private static string[] Labels(JsonNode manifest, string head) =>
        manifest["heads"]!.AsArray().Single(h => h!["name"]!.GetValue<string>() == head)!["labels"]!.AsArray()
            .Select(l => l!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
}
