using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class DeterminismTests
{
    private static readonly TrainingSet Set = SyntheticTickets.TrainingSet(tickets: 200, tweets: 60);

    [Fact]
    public void Same_seed_and_data_give_identical_weights_and_onnx_bytes()
    {
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 4 };
        var first = new MultiHeadTrainer(options).Train(Set);
        var second = new MultiHeadTrainer(options).Train(Set);

        AssertSameWeights(first.Network, second.Network);
        Assert.Equal(OnnxExporter.Export(first.Network, first.Manifest), OnnxExporter.Export(second.Network, second.Manifest));
    }

    [Fact]
    public void Thread_count_does_not_change_the_weights()
    {
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 3 };
        var serial = new MultiHeadTrainer(options with { MaxDegreeOfParallelism = 1 }).Train(Set);
        var parallel = new MultiHeadTrainer(options with { MaxDegreeOfParallelism = 3 }).Train(Set);

        AssertSameWeights(serial.Network, parallel.Network);
    }

    [Fact]
    public void Thread_count_does_not_change_the_weights_with_dropout()
    {
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 3, InputDropout = 0.3f, HiddenDropout = 0.2f };
        var serial = new MultiHeadTrainer(options with { MaxDegreeOfParallelism = 1 }).Train(Set);
        var parallel = new MultiHeadTrainer(options with { MaxDegreeOfParallelism = 3 }).Train(Set);

        AssertSameWeights(serial.Network, parallel.Network);
    }

    [Fact]
    public void Dropout_changes_the_weights()
    {
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 2, InputDropout = 0, HiddenDropout = 0 };
        var plain = new MultiHeadTrainer(options).Train(Set);
        var input = new MultiHeadTrainer(options with { InputDropout = 0.3f }).Train(Set);
        var hidden = new MultiHeadTrainer(options with { HiddenDropout = 0.3f }).Train(Set);

        Assert.False(plain.Network.Embedding.Span.SequenceEqual(input.Network.Embedding.Span));
        Assert.False(plain.Network.Embedding.Span.SequenceEqual(hidden.Network.Embedding.Span));
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 2 };
        var first = new MultiHeadTrainer(options).Train(Set);
        var second = new MultiHeadTrainer(options with { Seed = 43 }).Train(Set);

        Assert.False(first.Network.Embedding.Span.SequenceEqual(second.Network.Embedding.Span));
    }

    private static void AssertSameWeights(TrainedNetwork expected, TrainedNetwork actual)
    {
        Assert.True(expected.Embedding.Span.SequenceEqual(actual.Embedding.Span));
        Assert.True(expected.HiddenBias.Span.SequenceEqual(actual.HiddenBias.Span));
        foreach (var (e, a) in expected.Heads.Zip(actual.Heads))
        {
            Assert.True(e.Weights.Span.SequenceEqual(a.Weights.Span));
            Assert.True(e.Bias.Span.SequenceEqual(a.Bias.Span));
            Assert.Equal(e.Temperature, a.Temperature);
        }
    }
}
