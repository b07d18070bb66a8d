using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

/// <summary>One model trained on the synthetic set, shared by the tests that only read it.</summary>
public sealed class SyntheticModelFixture
{
    public SyntheticModelFixture()
    {
        Set = SyntheticTickets.TrainingSet(tickets: 800, tweets: 300);
        Result = new MultiHeadTrainer(SmallOptions()).Train(Set);
        HeldOut = SyntheticTickets.HeldOut();
        Featurizer = new HashedNgramFeaturizer(Result.Manifest.Featurizer);
    }

    public TrainingSet Set { get; }

    public TrainingResult Result { get; }

    public IReadOnlyList<LabeledTicket> HeldOut { get; }

    public HashedNgramFeaturizer Featurizer { get; }

    /// <summary>Small buckets and hidden layer keep every training in the test suite well under a second or two.</summary>
    public static TrainerOptions SmallOptions() => new()
    {
        Featurizer = new FeaturizerSettings { Buckets = 1 << 12, SeparateWordBuckets = true },
        HiddenDimension = 32,
        MaxEpochs = 20,
        ModelName = "synthetic",
        ModelVersion = "0.0.1-test",
    };

    public SparseFeatures[] Featurize(IEnumerable<LabeledTicket> rows) => rows.Select(r => Featurizer.Featurize(r.Text)).ToArray();
}

[CollectionDefinition(Name)]
public sealed class SyntheticModelGroup : ICollectionFixture<SyntheticModelFixture>
{
    public const string Name = "synthetic model";
}
