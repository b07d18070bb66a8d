using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Encoders;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.FineTuning;

/// <summary>An encoder-only model whose MiniLM top layer is fine-tuned on a small synthetic set, written to disk.</summary>
public sealed class FineTunedModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public FineTunedModelFixture()
    {
        Set = SyntheticTickets.TrainingSet(tickets: 200, tweets: 20, maxBodyChars: 100);
        HeldOut = SyntheticTickets.HeldOut(tickets: 40, tweets: 10, maxBodyChars: 120);
        Result = new MultiHeadTrainer(Options).Train(Set);
        Directory = _directory.Combine("fine-tuned");
        ModelWriter.Write(Result, Directory);
    }

    public static TrainerOptions Options { get; } = EncoderModelFixture.Options(FeatureMode.Encoder) with
    {
        FineTuneLayers = 1,
        FineTuneEpochs = 4,
        FineTuneLearningRate = 3e-4f,
        EncoderMaxTokens = 32,
    };

    public TrainingSet Set { get; }

    public TrainingResult Result { get; }

    public string Directory { get; }

    public IReadOnlyList<LabeledTicket> HeldOut { get; }

    public void Dispose() => _directory.Dispose();
}

public sealed class FineTunedEncoderTests(FineTunedModelFixture model) : IClassFixture<FineTunedModelFixture>
{
    [Fact]
    public void Fine_tuned_encoder_is_stored_in_the_model_as_its_own_onnx_encoder()
    {
        var encoder = model.Result.Manifest.Encoder!;

        Assert.Equal(SentenceEncoder.OnnxKind, encoder.Kind);
        Assert.NotEqual(MiniLmPackage.ModelSha256, encoder.Sha256);
        Assert.True(File.Exists(Path.Combine(model.Directory, SentenceEncoder.OnnxModelFile)));
        Assert.True(File.Exists(Path.Combine(model.Directory, SentenceEncoder.OnnxVocabFile)));
        Assert.Equal(1, model.Result.DerivedEncoder!.FineTuning!.Layers);
        var derivation = model.Result.Manifest.Training.Encoder!;
        Assert.Equal(("minilm", 1, 4, false), (derivation.Source, derivation.FineTunedLayers, derivation.FineTuneEpochs, derivation.AllLayers));
        Assert.Equal(model.Result.DerivedEncoder.FineTuning.BestEpoch, derivation.BestEpoch);
    }

    [Fact]
    public void Fine_tuning_lowers_the_validation_loss_below_the_frozen_encoders()
    {
        var tuned = model.Result.DerivedEncoder!.FineTuning!;

        Assert.InRange(tuned.BestEpoch, 1, FineTunedModelFixture.Options.FineTuneEpochs);
        Assert.True(tuned.ValidationLoss[tuned.BestEpoch] < tuned.ValidationLoss[0], $"validation loss by epoch: {string.Join(", ", tuned.ValidationLoss)}");
    }

    [Fact]
    public void Model_with_a_fine_tuned_encoder_classifies_held_out_tickets()
    {
        using var classifier = TicketClassifier.Load(model.Directory);
        var rows = model.HeldOut.Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead)).ToArray();

        var predictions = classifier.Predict(rows.Select(r => r.Text).ToArray());

        var correct = rows.Zip(predictions).Count(p => p.First.Labels[SyntheticTickets.QueueHead] == p.Second.Heads[SyntheticTickets.QueueHead].Labels[0]);
        Assert.True(correct >= 0.8 * rows.Length, $"queue accuracy {correct}/{rows.Length}");
    }

    [Fact]
    public void Fine_tuning_with_the_same_seed_gives_the_same_encoder_on_one_thread()
    {
        var again = new MultiHeadTrainer(FineTunedModelFixture.Options with { MaxDegreeOfParallelism = 1 }).Train(model.Set);

        Assert.Equal(model.Result.DerivedEncoder!.Onnx, again.DerivedEncoder!.Onnx);
    }

    [Fact]
    public void Fine_tuning_without_an_encoder_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiHeadTrainer(new TrainerOptions { FineTuneLayers = 1 }));

        Assert.Contains("FineTuneLayers needs an encoder", error.Message);
    }
}
