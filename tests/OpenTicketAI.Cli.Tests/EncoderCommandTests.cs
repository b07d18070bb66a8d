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
}
