using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai predict --model DIR --input FILE [--id col] [--output FILE]</c> on the shared fixture model.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class PredictCommandTests(TrainedModelFixture model) : IDisposable
{
    // "language" comes from the language identifier, as in the service.
    private static readonly string[] Heads = ["kind", "language", "priority", "queue", "tags"];

    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Predict_writes_one_json_line_per_input_row_to_stdout_with_ids_echoed()
    {
        var run = await PredictAsync("--input", model.HeldOutPath, "--id", "id");

        CliAssert.Succeeds(run);
        var lines = PredictionLine.ParseAll(run.StdoutLines);
        Assert.Equal(model.HeldOut.Select(t => t.Id), lines.Select(l => l.Id));
        Assert.All(lines, AssertWellFormed);
        Assert.Contains(run.StderrLines, l => l.StartsWith($"predicted {model.HeldOut.Count} tickets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Predict_writes_the_same_lines_to_the_output_file_and_nothing_to_stdout()
    {
        var toStdout = await PredictAsync("--input", model.HeldOutPath, "--id", "id");
        var toFile = await PredictAsync("--input", model.HeldOutPath, "--id", "id", "--output", "predictions.jsonl", "--batch-size", "7");

        CliAssert.Succeeds(toFile);
        Assert.Empty(toFile.Stdout);
        Assert.Equal(toStdout.Stdout, File.ReadAllText(_work.Combine("predictions.jsonl")));
        Assert.Equal(["predictions.jsonl"], Directory.GetFiles(_work.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Predict_reads_jsonl_tickets_and_omits_the_id_when_no_id_column_is_given()
    {
        var tickets = model.HeldOut.Take(12).ToArray();
        _work.Write("tickets.jsonl", TicketFiles.Jsonl(tickets));

        var withId = await PredictAsync("--input", "tickets.jsonl", "--id", "id");
        var withoutId = await PredictAsync("--input", "tickets.jsonl");

        CliAssert.Succeeds(withId);
        CliAssert.Succeeds(withoutId);
        Assert.Equal(tickets.Select(t => t.Id), PredictionLine.ParseAll(withId.StdoutLines).Select(l => l.Id));
        var anonymous = PredictionLine.ParseAll(withoutId.StdoutLines);
        Assert.Equal(tickets.Length, anonymous.Count);
        Assert.All(anonymous, l => Assert.Null(l.Id));
        Assert.All(anonymous, AssertWellFormed);
    }

    public void Dispose() => _work.Dispose();

    private static void AssertWellFormed(PredictionLine line)
    {
        Assert.Equal(Heads, line.Predictions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Heads, line.Confidence.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Heads, line.NeedsReview.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(line.Label("queue"), new[] { "Billing", "Sales", "Technical Support" });
        Assert.Contains(line.Label("priority"), new[] { "low", "medium", "high" });
        Assert.All(line.Labels("tags"), t => Assert.Contains(t, new[] { "hardware", "login", "outage", "pricing", "refund" }));
        Assert.All(line.Confidence.Values, c => Assert.InRange(c, 0, 1));
    }

    private Task<OtaiRun> PredictAsync(params string[] arguments) =>
        OtaiProcess.RunAsync(_work.Path, ["predict", "--model", model.ModelDirectory, .. arguments]);
}
