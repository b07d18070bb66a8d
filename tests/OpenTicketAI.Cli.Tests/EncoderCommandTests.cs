using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai train --encoder minilm</c> and <c>otai predict</c> on the resulting hybrid model.</summary>
public sealed class EncoderCommandTests
{
    [Fact]
    public async Task Train_with_minilm_encoder_writes_a_hybrid_model_that_predict_uses()
    {
        using var work = new TempDirectory();
        work.Write("tickets.csv", TicketFiles.Csv(FixtureTicket.Synthetic(120, seed: 5)));

        var train = await OtaiProcess.RunAsync(work.Path, ["train", "--data", "tickets.csv", "--label", "queue", "--out", "model", "--encoder", "minilm", "--features", "hybrid", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(train);
        var manifest = JsonNode.Parse(File.ReadAllText(work.Combine("model/model.json")))!;
        Assert.Equal("minilm", manifest["encoder"]!["kind"]!.GetValue<string>());
        Assert.Equal(384, manifest["graph"]!["embeddingDimension"]!.GetValue<int>());

        var predict = await OtaiProcess.RunAsync(work.Path, "predict", "--model", "model", "--input", "tickets.csv");

        CliAssert.Succeeds(predict);
        Assert.Equal(120, PredictionLine.ParseAll(predict.StdoutLines).Count);
    }

    [Fact]
    public async Task Train_with_a_fine_tuned_top_layer_stores_the_tuned_encoder_that_predict_uses()
    {
        using var work = new TempDirectory();
        work.Write("tickets.csv", TicketFiles.Csv(FixtureTicket.Synthetic(120, seed: 5)));

        var train = await OtaiProcess.RunAsync(work.Path, ["train", "--data", "tickets.csv", "--label", "queue", "--out", "model", "--encoder", "minilm", "--fine-tune-layers", "1", "--linear", "off", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(train);
        Assert.Contains("fine-tune", train.Stderr);
        var manifest = JsonNode.Parse(File.ReadAllText(work.Combine("model/model.json")))!;
        Assert.Equal("onnx", manifest["encoder"]!["kind"]!.GetValue<string>());
        Assert.True(File.Exists(work.Combine("model/encoder.onnx")));

        var predict = await OtaiProcess.RunAsync(work.Path, "predict", "--model", "model", "--input", "tickets.csv");

        CliAssert.Succeeds(predict);
        Assert.Equal(120, PredictionLine.ParseAll(predict.StdoutLines).Count);
    }

    [Theory]
    [InlineData("--fine-tune-layers", "1")]
    [InlineData("--encoder-layers", "all")]
    public async Task Encoder_options_without_an_encoder_fail_with_one_error_line_and_no_model(string option, string value)
    {
        using var work = new TempDirectory();
        work.Write("tickets.csv", TicketFiles.Csv(FixtureTicket.Synthetic(40, seed: 5)));

        var run = await OtaiProcess.RunAsync(work.Path, ["train", "--data", "tickets.csv", "--label", "queue", "--out", "model", option, value]);

        CliAssert.FailsWithUserError(run, "needs an encoder");
        CliAssert.NoModelWritten(work.Combine("model"));
    }
}
