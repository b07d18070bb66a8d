using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai train --validation FILE</c>: the given rows validate, every training row trains.</summary>
public sealed class TrainValidationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Train_with_validation_file_trains_on_every_row_and_validates_on_the_given_rows()
    {
        _directory.Write("train.csv", TicketFiles.Csv(FixtureTicket.Synthetic(300)));
        _directory.Write("dev.csv", TicketFiles.Csv(FixtureTicket.SyntheticHeldOut(60), withId: true));

        var run = await OtaiProcess.RunAsync(
            _directory.Path,
            ["train", "--data", "train.csv", "--validation", "dev.csv", "--label", "queue", "--out", "model", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(run);
        var training = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory.Path, "model", "model.json")))!["training"]!;
        var rows = training["rows"]!.GetValue<int>();
        var trainRows = training["trainRows"]!.GetValue<int>();
        Assert.Equal(60, training["validationRows"]!.GetValue<int>());

        // Only the 10% test split leaves the training file; a held-out validation split would take another 10%.
        var trainingFileRows = rows - 60;
        Assert.InRange(trainingFileRows, 250, 300);
        Assert.InRange(trainRows, (int)(trainingFileRows * 0.87), (int)(trainingFileRows * 0.93));
    }
}
