using System.Text.Json;
using System.Text.Json.Nodes;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Core.Tests.Inference;

public class TicketClassifierTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Predict_returns_every_head_with_probabilities_that_sum_to_one()
    {
        using var classifier = TicketClassifier.Load(model.ModelPath);

        var prediction = classifier.Predict(new TicketText("Invoice charged twice", "My credit card was billed twice for the same invoice."));

        Assert.Equal(classifier.Manifest.Heads.Select(h => h.Name).Order(), prediction.Heads.Keys.Order());
        foreach (var head in classifier.Manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel))
        {
            var scores = prediction.Heads[head.Name].Scores;
            Assert.Equal(1.0, scores.Sum(s => (double)s.Score), 4);
            Assert.Equal(scores.Max(s => s.Score), prediction.Heads[head.Name].Confidence);
        }
    }

    [Fact]
    public void Predict_shows_the_best_scores_first_and_every_chosen_tag_even_below_the_shown_few()
    {
        using var everyScore = TicketClassifier.Load(model.ModelPath, new ClassifierOptions { MaxScoresPerHead = 1000 });
        using var bestOnly = TicketClassifier.Load(model.ModelPath, new ClassifierOptions { MaxScoresPerHead = 1 });
        var ticket = new TicketText("Invoice charged twice and VPN down", "My credit card was billed twice, and the VPN drops every few minutes since the update.");

        var all = everyScore.Predict(ticket);
        var few = bestOnly.Predict(ticket);

        foreach (var (name, head) in all.Heads)
        {
            Assert.Equal(head.Scores.OrderByDescending(s => s.Score).Select(s => s.Score), head.Scores.Select(s => s.Score));
            Assert.Equal(head.Labels, few.Heads[name].Labels);
            var expected = head.Scores.Where((s, rank) => rank == 0 || head.Labels.Contains(s.Label)).Select(s => s.Label);
            Assert.Equal(expected, few.Heads[name].Scores.Select(s => s.Label));
        }

        Assert.Equal(everyScore.Manifest.Heads.Single(h => h.Name == SyntheticTickets.TagsHead).Labels.Count, all.Heads[SyntheticTickets.TagsHead].Scores.Count);
    }

    [Fact]
    public void Predict_of_a_batch_equals_predicting_one_by_one()
    {
        using var classifier = TicketClassifier.Load(model.ModelPath);
        TicketText[] tickets =
        [
            new("Password reset", "The reset link never arrives."),
            new(null, "short"),
            new("Quote for 50 licences", "We would like to buy fifty licences for our team, please send an offer with volume discount."),
        ];

        var batch = classifier.Predict(tickets);

        for (var i = 0; i < tickets.Length; i++)
        {
            var single = classifier.Predict(tickets[i]);
            foreach (var (head, prediction) in single.Heads)
            {
                Assert.Equal(prediction.Labels, batch[i].Heads[head].Labels);
                Assert.Equal(prediction.Confidence, batch[i].Heads[head].Confidence, 5);
            }
        }
    }

    [Fact]
    public void Load_names_the_manifest_when_it_is_missing()
    {
        var directory = model.CopyModel();
        File.Delete(Path.Combine(directory, ModelDirectory.ManifestFile));

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("model.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_json_path_when_the_manifest_is_invalid()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["heads"] = "not a list");

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("$.heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_refuses_an_unsupported_format_version()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["formatVersion"] = 99);

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("formatVersion 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_refuses_a_head_whose_label_count_differs_from_the_graph_output()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["heads"]![0]!["labels"]!.AsArray().Add("Extra label"));

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("expects float[batch,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_refuses_a_head_whose_output_the_graph_lacks()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["heads"]![0]!["output"] = "nowhere");

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_refuses_a_renamed_input()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["graph"]!["featureIdsInput"] = "ids");

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("no input 'ids'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../model.onnx")]
    [InlineData("/etc/hostname")]
    [InlineData("sub/../../outside.onnx")]
    public void Load_refuses_a_graph_file_outside_the_model_directory(string file)
    {
        var directory = model.CopyModel();
        File.Copy(Path.Combine(directory, "model.onnx"), Path.Combine(Path.GetDirectoryName(directory)!, "model.onnx"), overwrite: true);
        EditManifest(directory, m => m["graph"]!["file"] = file);

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("graph.file", error.Message, StringComparison.Ordinal);
        Assert.Contains("inside the model directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_accepts_a_graph_file_in_a_subdirectory_of_the_model()
    {
        var directory = model.CopyModel();
        Directory.CreateDirectory(Path.Combine(directory, "graph"));
        File.Move(Path.Combine(directory, "model.onnx"), Path.Combine(directory, "graph", "model.onnx"));
        EditManifest(directory, m => m["graph"]!["file"] = "graph/model.onnx");

        using var classifier = TicketClassifier.Load(directory);

        Assert.NotEmpty(classifier.Predict(new TicketText("Invoice", "charged twice")).Heads);
    }

    [Fact]
    public void Load_reports_a_corrupt_graph_file()
    {
        var directory = model.CopyModel();
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), "definitely not protobuf"u8.ToArray());

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reports_a_truncated_graph_file()
    {
        var directory = model.CopyModel();
        var graph = Path.Combine(directory, "model.onnx");
        var bytes = File.ReadAllBytes(graph);
        File.WriteAllBytes(graph, bytes[..(bytes.Length / 2)]);

        Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));
    }

    [Fact]
    public void Load_refuses_duplicate_heads()
    {
        var directory = model.CopyModel();
        EditManifest(directory, m => m["heads"]!.AsArray().Add(m["heads"]![0]!.DeepClone()));

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(directory));

        Assert.Contains("declared twice", error.Message, StringComparison.Ordinal);
    }

    private static void EditManifest(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, ModelDirectory.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
