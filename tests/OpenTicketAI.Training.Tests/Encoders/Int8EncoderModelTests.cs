using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Encoders.Quantization;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Encoders;

public sealed class Int8EncoderModelTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void A_model_trained_on_minilm_int8_names_it_reloads_with_it_and_classifies_held_out_tickets()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 160, tweets: 40);
        var heldOut = SyntheticTickets.HeldOut(tickets: 40, tweets: 10);
        var result = new MultiHeadTrainer(EncoderModelFixture.Options(FeatureMode.Encoder) with { Encoder = "minilm-int8", MaxEpochs = 10 }).Train(set);
        var directory = _directory.Combine("int8");
        ModelWriter.Write(result, directory);

        using var classifier = TicketClassifier.Load(directory);

        Assert.Equal(SentenceEncoder.MiniLmInt8Kind, classifier.Manifest.Encoder!.Kind);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(MiniLmPackage.ReadQuantizedModel())), classifier.Manifest.Encoder.Sha256);
        Assert.Equal(["model.json", "model.onnx"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rows = heldOut.Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead)).ToArray();
        var predictions = classifier.Predict(rows.Select(r => r.Text).ToArray());
        var correct = rows.Zip(predictions).Count(p => p.First.Labels[SyntheticTickets.QueueHead] == p.Second.Heads[SyntheticTickets.QueueHead].Labels[0]);
        Assert.True(correct >= 0.8 * rows.Length, $"queue accuracy {correct}/{rows.Length}");
    }

    [Fact]
    public void Fine_tuning_from_minilm_int8_tunes_the_float_graph_and_stores_it_quantised()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 80, tweets: 10, maxBodyChars: 100);
        var options = EncoderModelFixture.Options(FeatureMode.Encoder) with { Encoder = "minilm-int8", FineTuneLayers = 1, FineTuneEpochs = 1, EncoderMaxTokens = 32, MaxEpochs = 2 };

        var result = new MultiHeadTrainer(options).Train(set);

        Assert.Equal(SentenceEncoder.OnnxKind, result.Manifest.Encoder!.Kind);
        Assert.Equal(0, DynamicQuantizer.CountFloatWeightMatMuls(result.DerivedEncoder!.Onnx));
        Assert.Equal("minilm-int8", result.Manifest.Training.Encoder!.Source);
        var directory = _directory.Combine("int8-tuned");
        ModelWriter.Write(result, directory);
        using var classifier = TicketClassifier.Load(directory);
        Assert.Equal(result.Manifest.Encoder.Sha256, classifier.Encoder!.Sha256);
    }

    public void Dispose() => _directory.Dispose();
}
