using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>
/// One model trained by <c>otai train</c> from a CSV export with a column mapping, shared by the tests that read or
/// copy it; plus a held-out CSV (with an <c>id</c> column) from the same distribution.
/// </summary>
public sealed class TrainedModelFixture : IAsyncLifetime, IDisposable
{
    public const string TrainingFile = "tickets.csv";
    public const string HeldOutFile = "held-out.csv";
    public const string ModelName = "model";

    private readonly TempDirectory _directory = new();

    public string Directory => _directory.Path;

    public string ModelDirectory => _directory.Combine(ModelName);

    public string HeldOutPath => _directory.Combine(HeldOutFile);

    public IReadOnlyList<FixtureTicket> HeldOut { get; } = FixtureTicket.SyntheticHeldOut(150);

    /// <summary>The training run itself, so tests can check what it printed.</summary>
    public OtaiRun Training { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory.Write(TrainingFile, TicketFiles.Csv(FixtureTicket.Synthetic(600)));
        _directory.Write(HeldOutFile, TicketFiles.Csv(HeldOut, withId: true));
        Training = await OtaiProcess.RunAsync(
            Directory,
            ["train", "--data", TrainingFile, "--text", "subject,body", "--label", "queue", "--label", "priority", "--label", "kind=type", "--tags", "tag_*", "--out", ModelName, "--seed", "11", .. OtaiProcess.SmallModel]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();

    /// <summary>A copy of the trained model directory at <paramref name="target"/>.</summary>
    public void CopyModelTo(string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(ModelDirectory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
