using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>
/// Trains two small real models once per test run: version 1.0.0 on the synthetic tickets, and version 2.0.0 on the same
/// tickets with the Billing queue renamed to Finance, so a test can tell which model answered.
/// </summary>
public sealed class ModelFixture : IDisposable
{
    public const string VersionOne = "1.0.0";
    public const string VersionTwo = "2.0.0";
    public const string RenamedBillingQueue = "Finance";

    public ModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("otai-api-tests-").FullName;
        var tickets = SyntheticTickets.TrainingSet(tickets: 500, tweets: 150, seed: 11);
        ModelOne = Path.Combine(Root, "trained", "one");
        ModelTwo = Path.Combine(Root, "trained", "two");
        TrainInto(tickets, VersionOne, ModelOne);
        TrainInto(RenameQueue(tickets, "Billing", RenamedBillingQueue), VersionTwo, ModelTwo);

        SharedModels = NewModelsDirectory();
        ModelFiles.Install(ModelOne, SharedModels, "default");
        ModelFiles.Install(ModelTwo, SharedModels, "second");
    }

    public string Root { get; }

    /// <summary>A trained model directory (version 1.0.0); copy it, never serve it in place.</summary>
    public string ModelOne { get; }

    /// <summary>A trained model directory (version 2.0.0, Billing renamed to Finance).</summary>
    public string ModelTwo { get; }

    /// <summary>Models served by the shared factory: <c>default</c> (1.0.0) and <c>second</c> (2.0.0). Tests must not change it.</summary>
    public string SharedModels { get; }

    public string NewModelsDirectory() => Directory.CreateDirectory(Path.Combine(Root, "models-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void TrainInto(TrainingSet set, string version, string directory)
    {
        var trainer = new MultiHeadTrainer(new TrainerOptions
        {
            HiddenDimension = 16,
            MaxEpochs = 12,
            Featurizer = new FeaturizerSettings { Buckets = 1 << 12 },
            ModelName = "synthetic",
            ModelVersion = version,
            License = "CC0-1.0",
        });
        var result = trainer.Train(set);
        ModelWriter.Write(result, directory);

        IReadOnlyDictionary<string, HeadMetrics> metrics;
        using (var classifier = TicketClassifier.Load(directory))
        {
            metrics = ModelEvaluator.Evaluate(classifier, result.TestRows).ToHeadMetrics();
        }

        ModelWriter.Write(result, directory, result.Manifest with { Metrics = metrics });
    }

    private static TrainingSet RenameQueue(TrainingSet set, string from, string to) => set with
    {
        Rows = set.Rows.Select(row => row.Labels.TryGetValue(SyntheticTickets.QueueHead, out var queue) && queue == from
            ? row with { Labels = new Dictionary<string, string>(row.Labels) { [SyntheticTickets.QueueHead] = to } }
            : row).ToList(),
    };
}
