using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Encoders;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.FineTuning;

public sealed class AllLayersEncoderTests
{
    [Fact]
    public void Hybrid_model_on_every_minilm_layer_stores_its_encoder_and_classifies_held_out_tickets()
    {
        using var directory = new TempDirectory();
        var set = SyntheticTickets.TrainingSet(tickets: 160, tweets: 40, maxBodyChars: 120);
        var heldOut = SyntheticTickets.HeldOut(tickets: 40, tweets: 10, maxBodyChars: 120)
            .Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead)).ToArray();
        var options = EncoderModelFixture.Options(FeatureMode.Hybrid) with { EncoderLayers = EncoderLayers.All, EncoderMaxTokens = 48 };

        var result = new MultiHeadTrainer(options).Train(set);
        var modelDirectory = directory.Combine("model");
        ModelWriter.Write(result, modelDirectory);

        Assert.Equal(SentenceEncoder.OnnxKind, result.Manifest.Encoder!.Kind);
        Assert.Equal(7 * 384, result.Manifest.Encoder.Dimension);
        Assert.True(result.DerivedEncoder!.AllLayers);
        using var classifier = TicketClassifier.Load(modelDirectory);
        var predictions = classifier.Predict(heldOut.Select(r => r.Text).ToArray());
        var correct = heldOut.Zip(predictions).Count(p => p.First.Labels[SyntheticTickets.QueueHead] == p.Second.Heads[SyntheticTickets.QueueHead].Labels[0]);
        Assert.True(correct >= 0.8 * heldOut.Length, $"queue accuracy {correct}/{heldOut.Length}");
    }

    [Fact]
    public void Every_layer_without_an_encoder_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiHeadTrainer(new TrainerOptions { EncoderLayers = EncoderLayers.All }));

        Assert.Contains("needs an encoder", error.Message);
    }
}
