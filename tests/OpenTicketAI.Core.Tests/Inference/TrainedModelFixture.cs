using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Core.Tests.Inference;

/// <summary>A small real model trained once on synthetic tickets; tests copy it before tampering with it.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("otai-core-tests-").FullName;
        ModelPath = Path.Combine(Root, "model");
        var options = new TrainerOptions
        {
            MaxEpochs = 8,
            HiddenDimension = 16,
            Featurizer = new FeaturizerSettings { Buckets = 1 << 12 },
            ModelName = "synthetic",
        };
        ModelWriter.Write(new MultiHeadTrainer(options).Train(SyntheticTickets.TrainingSet()), ModelPath);
    }

    public string Root { get; }

    public string ModelPath { get; }

    /// <summary>A fresh copy of the model that a test may break.</summary>
    public string CopyModel()
    {
        var copy = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(ModelPath))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
