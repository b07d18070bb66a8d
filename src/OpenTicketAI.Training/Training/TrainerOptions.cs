using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Training;

/// <summary>Hyper-parameters and identity of one training run. The defaults suit a few thousand to a few hundred thousand tickets.</summary>
public sealed record TrainerOptions
{
    public int HiddenDimension { get; init; } = 64;
    public int MaxEpochs { get; init; } = 30;

    /// <summary>Epochs without a lower validation loss before training stops; the best epoch's weights are kept.</summary>
    public int Patience { get; init; } = 3;

    public int BatchSize { get; init; } = 32;

    /// <summary>Adam step size of the dense weights (hidden bias, head weights and biases).</summary>
    public float LearningRate { get; init; } = 0.005f;

    /// <summary>Per-row SGD step size of the sparse embedding table; only the rows a ticket touches are updated.</summary>
    public float EmbeddingLearningRate { get; init; } = 0.25f;

    /// <summary>Decoupled (AdamW) weight decay of the head weights.</summary>
    public float WeightDecay { get; init; } = 1e-4f;

    /// <summary>Class weight = (inverse class frequency) ^ exponent: 0 ignores imbalance, 1 fully balances it.</summary>
    public double ClassWeightExponent { get; init; } = 0.5;

    public int Seed { get; init; } = 42;
    public double ValidationFraction { get; init; } = 0.1;
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Precision a single-label head's review threshold aims for on the validation rows.</summary>
    public double TargetPrecision { get; init; } = 0.9;

    public FeaturizerSettings Featurizer { get; init; } = new();
    public string ModelName { get; init; } = "model";
    public string ModelVersion { get; init; } = "1.0.0";
    public string? License { get; init; }

    /// <summary>Threads used for featurizing and training; -1 uses every core. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        Require(HiddenDimension >= 1, "HiddenDimension must be at least 1.");
        Require(MaxEpochs >= 1, "MaxEpochs must be at least 1.");
        Require(Patience >= 1, "Patience must be at least 1.");
        Require(BatchSize >= 1, "BatchSize must be at least 1.");
        Require(LearningRate > 0 && EmbeddingLearningRate > 0, "Learning rates must be positive.");
        Require(WeightDecay >= 0, "WeightDecay must not be negative.");
        Require(ClassWeightExponent is >= 0 and <= 1, "ClassWeightExponent must be between 0 and 1.");
        Require(ValidationFraction is >= 0 and < 1 && TestFraction is >= 0 and < 1 && ValidationFraction + TestFraction < 1,
            "ValidationFraction and TestFraction must be in [0, 1) and leave rows to train on.");
        Require(TargetPrecision is > 0 and <= 1, "TargetPrecision must be in (0, 1].");
        Require(MaxDegreeOfParallelism is -1 or >= 1, "MaxDegreeOfParallelism must be -1 or at least 1.");
        Require(!string.IsNullOrWhiteSpace(ModelName) && !string.IsNullOrWhiteSpace(ModelVersion), "ModelName and ModelVersion are required.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid trainer options: {message}");
        }
    }
}
