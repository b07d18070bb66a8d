using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai eval --model DIR --data FILE ... --out DIR</c> on the shared fixture model.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class EvalCommandTests(TrainedModelFixture model) : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Eval_writes_eval_json_with_accuracy_per_head_and_eval_html_with_an_svg_chart()
    {
        var run = await EvalAsync("--label", "queue", "--label", "priority", "--label", "kind=type", "--tags", "tag_*");

        CliAssert.Succeeds(run);
        var report = JsonNode.Parse(File.ReadAllText(_work.Combine("report/eval.json")))!;
        Assert.Equal(model.HeldOut.Count, report["rows"]!.GetValue<int>());
        var accuracy = report["singleLabelHeads"]!.AsArray().ToDictionary(h => h!["head"]!.GetValue<string>(), h => h!["accuracy"]!.GetValue<double>());
        Assert.Equal(["kind", "priority", "queue"], accuracy.Keys.Order(StringComparer.Ordinal));
        Assert.All(accuracy.Values, a => Assert.InRange(a, 0, 1));
        Assert.True(accuracy["queue"] >= 0.9, $"queue accuracy {accuracy["queue"]}");
        Assert.Equal("tags", Assert.Single(report["multiLabelHeads"]!.AsArray())!["head"]!.GetValue<string>());

        var html = File.ReadAllText(_work.Combine("report/eval.html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.Contains("queue", StringComparison.Ordinal) && l.Contains("150", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eval_scores_only_the_heads_the_data_carries()
    {
        var run = await EvalAsync("--label", "queue");

        CliAssert.Succeeds(run);
        var report = JsonNode.Parse(File.ReadAllText(_work.Combine("report/eval.json")))!;
        Assert.Equal("queue", Assert.Single(report["singleLabelHeads"]!.AsArray())!["head"]!.GetValue<string>());
        Assert.Empty(report["multiLabelHeads"]!.AsArray());
    }

    [Fact]
    public async Task Eval_fails_without_writing_a_report_when_the_data_carries_none_of_the_models_heads()
    {
        var run = await EvalAsync("--label", "type");

        CliAssert.FailsWithUserError(run, "the data carries none of the model's heads", "queue");
        Assert.False(Directory.Exists(_work.Combine("report")));
    }

    public void Dispose() => _work.Dispose();

    private Task<OtaiRun> EvalAsync(params string[] labels) =>
        OtaiProcess.RunAsync(_work.Path, ["eval", "--model", model.ModelDirectory, "--data", model.HeldOutPath, .. labels, "--out", "report"]);
}
