using System.Text.Json.Nodes;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Tests.Training;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Encoders;

/// <summary>A hybrid (n-grams + MiniLM) and an encoder-only model, each trained once on a small synthetic set and written to disk.</summary>
public sealed class EncoderModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public EncoderModelFixture()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 240, tweets: 60);
        HeldOut = SyntheticTickets.HeldOut(tickets: 40, tweets: 10);
        Hybrid = new MultiHeadTrainer(Options(FeatureMode.Hybrid)).Train(set);
        EncoderOnly = new MultiHeadTrainer(Options(FeatureMode.Encoder)).Train(set);
        HybridDirectory = _directory.Combine("hybrid");
        EncoderOnlyDirectory = _directory.Combine("encoder-only");
        ModelWriter.Write(Hybrid, HybridDirectory);
        ModelWriter.Write(EncoderOnly, EncoderOnlyDirectory);
    }

    public TrainingResult Hybrid { get; }

    public TrainingResult EncoderOnly { get; }

    public string HybridDirectory { get; }

    public string EncoderOnlyDirectory { get; }

    public IReadOnlyList<LabeledTicket> HeldOut { get; }

    public TempDirectory Directory => _directory;

    public static TrainerOptions Options(FeatureMode features) => SyntheticModelFixture.SmallOptions() with
    {
        Encoder = "minilm",
        Features = features,
        EncoderMaxTokens = 128,
        MaxEpochs = 12,
    };

    public void Dispose() => _directory.Dispose();
}

public sealed class EncoderModelTests(EncoderModelFixture model) : IClassFixture<EncoderModelFixture>
{
    [Fact]
    public void Models_loaded_through_one_encoder_cache_share_one_session_and_outlive_each_other()
    {
        using var encoders = new EncoderCache();
        var hybrid = TicketClassifier.Load(model.HybridDirectory, new ClassifierOptions { Encoders = encoders });
        using var encoderOnly = TicketClassifier.Load(model.EncoderOnlyDirectory, new ClassifierOptions { Encoders = encoders });
        var ticket = model.HeldOut[0].Text;
        var before = encoderOnly.Predict(ticket);

        hybrid.Dispose();

        Assert.Equal(1, encoders.Count);
        Assert.Equal(before.Heads[SyntheticTickets.QueueHead].Scores, encoderOnly.Predict(ticket).Heads[SyntheticTickets.QueueHead].Scores);
    }

    [Fact]
    public void Build_trains_evaluates_and_checks_a_hybrid_model_on_one_encoder_session()
    {
        using var encoders = new EncoderCache();
        var set = SyntheticTickets.TrainingSet(tickets: 120, tweets: 20);

        var outcome = ModelBuilder.Build(set, EncoderModelFixture.Options(FeatureMode.Hybrid) with { MaxEpochs = 2 }, model.Directory.Combine("built"), encoders: encoders);

        Assert.Equal(1, encoders.Count);
        Assert.Equal(MiniLmPackage.ModelSha256, outcome.Manifest.Encoder!.Sha256);
        using var served = TicketClassifier.Load(outcome.Directory, new ClassifierOptions { Encoders = encoders });
        Assert.Equal(1, encoders.Count);
    }

    [Fact]
    public void Hybrid_model_records_the_minilm_encoder_in_its_manifest_without_copying_it()
    {
        var manifest = model.Hybrid.Manifest;

        Assert.Equal("minilm", manifest.Encoder!.Kind);
        Assert.Equal(384, manifest.Encoder.Dimension);
        Assert.Equal(128, manifest.Encoder.MaxTokens);
        Assert.Equal("embedding", manifest.Graph.EmbeddingInput);
        Assert.Equal(384, manifest.Graph.EmbeddingDimension);
        Assert.Equal(FeaturizerSettings.HashedNgrams, manifest.Featurizer.Kind);
        Assert.Equal(["model.json", "model.onnx"], Directory.GetFiles(model.HybridDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hybrid_model_classifies_held_out_tickets()
    {
        using var classifier = TicketClassifier.Load(model.HybridDirectory);
        var rows = model.HeldOut.Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead)).ToArray();

        var predictions = classifier.Predict(rows.Select(r => r.Text).ToArray());

        var correct = rows.Zip(predictions).Count(p => p.First.Labels[SyntheticTickets.QueueHead] == p.Second.Heads[SyntheticTickets.QueueHead].Labels[0]);
        Assert.True(correct >= 0.8 * rows.Length, $"queue accuracy {correct}/{rows.Length}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Exported_encoder_graph_matches_the_trainers_forward_pass(bool hybrid)
    {
        var result = hybrid ? model.Hybrid : model.EncoderOnly;
        using var classifier = TicketClassifier.Load(hybrid ? model.HybridDirectory : model.EncoderOnlyDirectory);
        var tickets = model.HeldOut.Take(24).Select(r => r.Text).ToArray();
        var features = tickets.Select(t => classifier.Featurizer?.Featurize(t) ?? new SparseFeatures([], [])).ToArray();
        var embeddings = classifier.Encoder!.Encode(tickets);

        var onnx = classifier.Score(features, embeddings);
        var trainer = result.Network.Forward(features, embeddings);

        for (var h = 0; h < onnx.Length; h++)
        {
            var maxDifference = trainer[h].Zip(onnx[h], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDifference <= 1e-4f, $"head {result.Manifest.Heads[h].Name}: max |trainer - onnx| = {maxDifference}");
        }
    }

    [Fact]
    public void Encoder_only_model_has_no_ngram_table_and_still_classifies()
    {
        Assert.Equal(FeaturizerSettings.NoFeaturizer, model.EncoderOnly.Manifest.Featurizer.Kind);
        Assert.Equal(0, model.EncoderOnly.Network.Buckets);
        using var classifier = TicketClassifier.Load(model.EncoderOnlyDirectory);
        Assert.Null(classifier.Featurizer);
        var rows = model.HeldOut.Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead)).ToArray();

        var predictions = classifier.Predict(rows.Select(r => r.Text).ToArray());

        // A constant model scores the majority class's share; a model that learned something must clear it by a margin.
        var correct = rows.Zip(predictions).Count(p => p.First.Labels[SyntheticTickets.QueueHead] == p.Second.Heads[SyntheticTickets.QueueHead].Labels[0]);
        var majority = rows.GroupBy(r => r.Labels[SyntheticTickets.QueueHead]).Max(g => g.Count());
        Assert.True(correct >= majority + (0.2 * rows.Length), $"queue accuracy {correct}/{rows.Length}; the majority class alone gets {majority}");
    }

    [Fact]
    public void Model_whose_manifest_names_another_encoder_sha256_is_refused()
    {
        var copy = model.Directory.Combine("tampered-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(model.HybridDirectory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var manifestPath = Path.Combine(copy, ModelDirectory.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        json["encoder"]!["sha256"] = new string('0', 64);
        File.WriteAllText(manifestPath, json.ToJsonString());

        var error = Assert.Throws<ModelLoadException>(() => TicketClassifier.Load(copy));

        Assert.Contains("SHA-256", error.Message);
        Assert.Contains(new string('0', 64), error.Message);
    }

    [Fact]
    public void Training_with_the_same_seed_gives_the_same_hybrid_network()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 60, tweets: 20, seed: 3);
        var options = EncoderModelFixture.Options(FeatureMode.Hybrid) with { MaxEpochs = 2 };

        var first = new MultiHeadTrainer(options).Train(set).Network;
        var second = new MultiHeadTrainer(options with { MaxDegreeOfParallelism = 1 }).Train(set).Network;

        Assert.Equal(first.EncoderWeights.ToArray(), second.EncoderWeights.ToArray());
        Assert.Equal(first.Heads[0].Weights.ToArray(), second.Heads[0].Weights.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Upgrade_reads_and_rewrites_encoder_models_with_their_embedding_input(bool hybrid)
    {
        var source = hybrid ? model.HybridDirectory : model.EncoderOnlyDirectory;
        var target = model.Directory.Combine(hybrid ? "hybrid-upgraded" : "encoder-only-upgraded");

        var upgrade = GraphUpgrader.Upgrade(source, target);

        Assert.True(upgrade.Written);
        Assert.True(upgrade.MaxDifference <= 1e-6f, $"max difference {upgrade.MaxDifference}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "model.onnx")), File.ReadAllBytes(Path.Combine(target, "model.onnx")));
    }

    [Fact]
    public void Encoder_features_without_an_encoder_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiHeadTrainer(new TrainerOptions { Features = FeatureMode.Encoder }));
        Assert.Contains("needs an encoder", error.Message);
    }
}
