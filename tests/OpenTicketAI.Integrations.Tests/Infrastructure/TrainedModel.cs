using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>Every test that classifies shares one small real model, trained once on the synthetic tickets.</summary>
[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<TrainedModel>
{
    public const string Name = "trained model";
}

public sealed class TrainedModel : IDisposable
{
    public const string ModelName = "synthetic";

    private readonly string _root = Directory.CreateTempSubdirectory("otai-integrations-model-").FullName;

    public TrainedModel()
    {
        var trainer = new MultiHeadTrainer(new TrainerOptions
        {
            HiddenDimension = 16,
            MaxEpochs = 12,
            Featurizer = new FeaturizerSettings { Buckets = 1 << 12 },
            // The contract texts below were written for the network's answers; the linear path has its own tests (Training.Tests).
            Linear = LinearPath.Off,
            ModelName = ModelName,
            ModelVersion = "1.0.0",
            License = "CC0-1.0",
        });
        var result = trainer.Train(SyntheticTickets.TrainingSet(tickets: 500, tweets: 200, seed: 11));
        var directory = Path.Combine(_root, ModelName);
        ModelWriter.Write(result, directory);
        Classifier = TicketClassifier.Load(directory);
        Provider = new DirectClassifierProvider(Classifier, ModelName);
    }

    public TicketClassifier Classifier { get; }

    public ITicketClassifierProvider Provider { get; }

    public void Dispose()
    {
        Classifier.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
