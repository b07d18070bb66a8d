using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary>
/// Mistakes around a model: a missing or corrupt model directory, bad predict options and input, and a retrain that
/// fails over an existing model. Each ends with exit code 2, one <c>error:</c> line and no partial output.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ModelErrorTests(TrainedModelFixture model) : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public async Task Predict_names_the_model_directory_when_it_does_not_exist()
    {
        var run = await RunAsync("predict", "--model", "no-such-model", "--input", model.HeldOutPath, "--output", "predictions.jsonl");

        CliAssert.FailsWithUserError(run, _work.Combine("no-such-model/model.json"), "file not found");
        AssertNoOutputFiles();
    }

    [Fact]
    public async Task Eval_names_the_model_directory_when_it_does_not_exist()
    {
        var run = await RunAsync("eval", "--model", "no-such-model", "--data", model.HeldOutPath, "--label", "queue", "--out", "report");

        CliAssert.FailsWithUserError(run, _work.Combine("no-such-model/model.json"), "file not found");
        Assert.False(Directory.Exists(_work.Combine("report")));
    }

    [Fact]
    public async Task Predict_names_model_onnx_when_the_graph_is_garbage()
    {
        var corrupt = CorruptModel();

        var run = await RunAsync("predict", "--model", corrupt, "--input", model.HeldOutPath, "--output", "predictions.jsonl");

        CliAssert.FailsWithUserError(run, Path.Combine(corrupt, "model.onnx"), "ONNX Runtime cannot load the graph");
        AssertNoOutputFiles();
    }

    [Fact]
    public async Task Eval_names_model_onnx_when_the_graph_is_garbage()
    {
        var corrupt = CorruptModel();

        var run = await RunAsync("eval", "--model", corrupt, "--data", model.HeldOutPath, "--label", "queue", "--out", "report");

        CliAssert.FailsWithUserError(run, Path.Combine(corrupt, "model.onnx"), "ONNX Runtime cannot load the graph");
        Assert.False(Directory.Exists(_work.Combine("report")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("10001")]
    public async Task Predict_rejects_a_batch_size_outside_1_to_10000(string batchSize)
    {
        var run = await PredictToFileAsync(model.HeldOutPath, "--batch-size", batchSize);

        CliAssert.FailsWithUserError(run, "--batch-size must be between 1 and 10000");
        AssertNoOutputFiles();
    }

    [Fact]
    public async Task Predict_rejects_a_batch_size_that_is_not_a_number()
    {
        var run = await PredictToFileAsync(model.HeldOutPath, "--batch-size", "many");

        CliAssert.FailsWithUserError(run, "'many'", "--batch-size");
        AssertNoOutputFiles();
    }

    [Fact]
    public async Task Predict_names_the_row_holding_invalid_utf8_in_the_input()
    {
        // Header = row 1, four tickets = rows 2-5, then a row with "é" saved as the single Latin-1 byte 0xE9.
        byte[] bytes = [.. TicketFiles.Bytes(TicketFiles.Csv(model.HeldOut.Take(4)) + "\"printer\",\"caf"), 0xE9, .. TicketFiles.Bytes(" broken\",\"\",\"\",\"\",\"\",\"\",\"\"\n")];
        var input = _work.WriteBytes("latin1.csv", bytes);

        var run = await PredictToFileAsync(input);

        CliAssert.FailsWithUserError(run, "latin1.csv, row 6: invalid UTF-8");
        Assert.Equal(["latin1.csv"], Directory.GetFiles(_work.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Predict_names_the_input_file_when_it_does_not_exist()
    {
        var run = await PredictToFileAsync("no-such-tickets.csv");

        CliAssert.FailsWithUserError(run, "no-such-tickets.csv", "file not found");
        AssertNoOutputFiles();
    }

    [Fact]
    public async Task Predict_names_the_output_file_when_its_directory_does_not_exist()
    {
        var run = await RunAsync("predict", "--model", model.ModelDirectory, "--input", model.HeldOutPath, "--output", "no-such-directory/predictions.jsonl");

        CliAssert.FailsWithUserError(run, _work.Combine("no-such-directory/predictions.jsonl"), "does not exist");
        Assert.DoesNotContain(".tmp", run.ErrorLine, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_work.Path));
    }

    [Theory]
    [InlineData("missing label column", "column 'prio': no such column")]
    [InlineData("class with too few rows", "class 'blocker' has 1 row")]
    [InlineData("invalid trainer option", "HiddenDimension must be at least 1")]
    public async Task A_failed_retrain_leaves_the_existing_model_byte_identical(string problem, string expectedError)
    {
        var existing = _work.Combine("model");
        model.CopyModelTo(existing);
        var before = CliAssert.Snapshot(existing);
        var tickets = FixtureTicket.Synthetic(200).ToList();
        string[] options = problem switch
        {
            "missing label column" => ["--label", "queue", "--label", "priority=prio", .. OtaiProcess.SmallModel],
            "class with too few rows" => ["--label", "queue", "--label", "priority", .. OtaiProcess.SmallModel],
            _ => ["--label", "queue", "--buckets", "4096", "--hidden", "0"], // fails in the trainer, after the data has loaded
        };
        if (problem == "class with too few rows")
        {
            tickets.Add(tickets[0] with { Subject = "one of a kind", Priority = "blocker" });
        }

        _work.Write("tickets.csv", TicketFiles.Csv(tickets));
        var run = await RunAsync(["train", "--data", "tickets.csv", .. options, "--out", "model"]);

        CliAssert.FailsWithUserError(run, expectedError);
        CliAssert.SameFiles(before, CliAssert.Snapshot(existing));
        CliAssert.NoStagingDirectoriesBeside(existing);
    }

    public void Dispose() => _work.Dispose();

    /// <summary>A copy of the fixture model whose model.onnx holds bytes that are no ONNX graph.</summary>
    private string CorruptModel()
    {
        var corrupt = _work.Combine("corrupt-model");
        model.CopyModelTo(corrupt);
        File.WriteAllBytes(Path.Combine(corrupt, "model.onnx"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);
        return corrupt;
    }

    /// <summary>No --output file and no temp file beside it.</summary>
    private void AssertNoOutputFiles() => Assert.Empty(Directory.GetFiles(_work.Path));

    private Task<OtaiRun> PredictToFileAsync(string input, params string[] options) =>
        RunAsync(["predict", "--model", model.ModelDirectory, "--input", input, "--output", "predictions.jsonl", .. options]);

    private Task<OtaiRun> RunAsync(params string[] arguments) => OtaiProcess.RunAsync(_work.Path, arguments);
}
