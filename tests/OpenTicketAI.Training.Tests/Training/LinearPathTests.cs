using System.Numerics.Tensors;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

/// <summary>The trainings the linear path tests read, each trained once.</summary>
public sealed class LinearModels
{
    private static readonly TrainingSet Set = SyntheticTickets.TrainingSet(tickets: 300, tweets: 120);
    private readonly Dictionary<(LinearPath, int, bool), Lazy<TrainingResult>> _results = new[]
        {
            (LinearPath.Linear, -1, true), (LinearPath.Linear, 1, true), (LinearPath.Sum, -1, true), (LinearPath.Off, -1, true), (LinearPath.Linear, -1, false),
        }
        .ToDictionary(key => key, key => new Lazy<TrainingResult>(() =>
        {
            var options = SyntheticModelFixture.SmallOptions();
            return new MultiHeadTrainer(options with
            {
                Linear = key.Item1,
                MaxEpochs = 3,
                MaxDegreeOfParallelism = key.Item2,
                Featurizer = options.Featurizer with { SeparateWordBuckets = key.Item3 },
            }).Train(Set);
        }));

    /// <param name="separateWordBuckets">False: the shared word/char buckets of models trained before the split.</param>
    public TrainingResult Train(LinearPath linear, int threads = -1, bool separateWordBuckets = true) => _results[(linear, threads, separateWordBuckets)].Value;
}

public sealed class LinearPathTests(LinearModels models) : IClassFixture<LinearModels>, IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(LinearPath.Linear, "linear", true)]
    [InlineData(LinearPath.Sum, "network+linear", true)]
    [InlineData(LinearPath.Linear, "linear", false)]
    public void Exported_graph_with_linear_heads_matches_the_trainers_forward_pass(LinearPath linear, string path, bool separateWordBuckets)
    {
        var result = models.Train(linear, separateWordBuckets: separateWordBuckets);
        Assert.Equal(separateWordBuckets ? result.Manifest.Featurizer.Buckets / 2 : 0, result.Network.WordBuckets);
        var target = _directory.Combine($"{path}-{separateWordBuckets}");
        ModelWriter.Write(result, target);
        using var classifier = TicketClassifier.Load(target);
        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        // The last two rows: no features at all, and words without character n-grams (one block empty).
        var features = SyntheticTickets.HeldOut(tickets: 40, tweets: 20).Select(r => featurizer.Featurize(r.Text))
            .Append(new SparseFeatures([], [])).Append(featurizer.Featurize(new TicketText("a b", "c"))).ToArray();

        var onnx = classifier.Score(features);
        var trainer = result.Network.Forward(features);

        Assert.All(result.Manifest.Heads, h => Assert.Equal(h.Kind == HeadKind.SingleLabel ? path : null, h.Path));
        for (var h = 0; h < onnx.Length; h++)
        {
            var maxDifference = trainer[h].Zip(onnx[h], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDifference <= 1e-4f, $"head {result.Manifest.Heads[h].Name}: max |trainer - onnx| = {maxDifference}");
        }
    }

    [Fact]
    public void Linear_path_is_the_same_for_a_seed_whatever_the_thread_count()
    {
        var serial = Train(LinearPath.Linear, threads: 1);
        var parallel = Train(LinearPath.Linear);

        Assert.True(serial.Network.Idf.Span.SequenceEqual(parallel.Network.Idf.Span));
        foreach (var (a, b) in serial.Network.Heads.Zip(parallel.Network.Heads))
        {
            Assert.Equal(a.Linear is null, b.Linear is null);
            Assert.True(a.Linear is null || (a.Linear.Table.Span.SequenceEqual(b.Linear!.Table.Span) && a.Linear.Bias.Span.SequenceEqual(b.Linear.Bias.Span)));
        }

        Assert.Equal(OnnxExporter.Export(serial.Network, serial.Manifest), OnnxExporter.Export(parallel.Network, parallel.Manifest));
    }

    [Fact]
    public void Linear_path_alone_classifies_every_held_out_row_of_a_separable_set()
    {
        string[][] keywords = [["alpha", "apple", "amber"], ["bravo", "banana", "basalt"], ["charlie", "cherry", "copper"], ["delta", "date", "denim"]];
        string[] filler = ["please", "help", "with", "my", "account", "today", "thanks", "the", "a", "issue", "again", "team"];
        IReadOnlyList<LabeledTicket> Rows(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(i =>
            {
                var label = i % keywords.Length;
                var words = Enumerable.Range(0, 6).Select(_ => filler[random.Next(filler.Length)]).ToList();
                words.Insert(random.Next(words.Count + 1), keywords[label][random.Next(3)]);
                return new LabeledTicket(new TicketText("", string.Join(' ', words)), new Dictionary<string, string> { ["intent"] = $"i{label}" }, new Dictionary<string, IReadOnlyList<string>>());
            }).ToArray();
        }

        var set = new TrainingSet(Rows(160, 1), [new HeadDefinition("intent", HeadKind.SingleLabel)], []);
        var result = new MultiHeadTrainer(SyntheticModelFixture.SmallOptions() with { Linear = LinearPath.Linear, MaxEpochs = 1 }).Train(set);
        var heldOut = Rows(80, 2);
        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        var scores = result.Network.Forward(heldOut.Select(r => featurizer.Featurize(r.Text)).ToArray())[0];
        var labels = result.Manifest.Heads[0].Labels;

        var wrong = heldOut.Where((row, i) => labels[TensorPrimitives.IndexOfMax(scores.AsSpan(i * labels.Count, labels.Count))] != row.Labels["intent"]);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Multi_label_head_keeps_its_network_weights_and_thresholds()
    {
        var off = Train(LinearPath.Off);
        var sum = Train(LinearPath.Sum);
        var tags = off.Manifest.Heads.ToList().FindIndex(h => h.Kind == HeadKind.MultiLabel);

        Assert.Null(sum.Network.Heads[tags].Linear);
        Assert.True(off.Network.Heads[tags].Weights.Span.SequenceEqual(sum.Network.Heads[tags].Weights.Span));
        Assert.Equal(off.Manifest.Heads[tags].Thresholds, sum.Manifest.Heads[tags].Thresholds);
        Assert.Null(sum.Manifest.Heads[tags].Path);
    }

    [Fact]
    public void Linear_head_carried_by_only_some_rows_learns_from_those()
    {
        var result = Train(LinearPath.Linear);
        var tweets = SyntheticTickets.HeldOut(tickets: 0, tweets: 100);
        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        var h = result.Manifest.Heads.ToList().FindIndex(x => x.Name == SyntheticTickets.SentimentHead);
        var scores = result.Network.Forward(tweets.Select(t => featurizer.Featurize(t.Text)).ToArray())[h];
        var labels = result.Manifest.Heads[h].Labels;

        var right = tweets.Where((tweet, i) => labels[TensorPrimitives.IndexOfMax(scores.AsSpan(i * labels.Count, labels.Count))] == tweet.Labels[SyntheticTickets.SentimentHead]).Count();
        Assert.True(right >= 90, $"{right}/100 held-out tweets right");
    }

    public void Dispose() => _directory.Dispose();

    private TrainingResult Train(LinearPath linear, int threads = -1) => models.Train(linear, threads);
}

public sealed class LinearProblemTests
{
    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 12).Select(i =>
        {
            var ids = Enumerable.Range(0, 20).Where(_ => random.NextDouble() < 0.3).ToArray();
            return new EncodedRow(new SparseFeatures(ids, ids.Select(_ => (float)random.NextDouble()).ToArray()), [[i % 3]], [(float)random.NextDouble(), (float)random.NextDouble()]);
        }).ToArray();
        var idf = LinearPathTrainer.Idf(rows, 20);
        var data = LinearRows.Build(rows, idf, 20, wordBuckets: 10);
        var problem = new LinearProblem(data, Enumerable.Range(0, 12).ToArray(), rows.Select(r => r.Targets[0]![0]).ToArray(), [1f, 2f, 0.5f], 3, new ParallelOptions()).WithC(0.5);
        var parameters = Enumerable.Range(0, problem.Dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gradient = new float[problem.Dimension];
        problem.Evaluate(parameters, gradient);

        for (var k = 0; k < problem.Dimension; k++)
        {
            var plus = (float[])parameters.Clone();
            var minus = (float[])parameters.Clone();
            plus[k] += 1e-2f;
            minus[k] -= 1e-2f;
            var numeric = (problem.Evaluate(plus, new float[problem.Dimension]) - problem.Evaluate(minus, new float[problem.Dimension])) / 2e-2;
            Assert.True(Math.Abs(numeric - gradient[k]) < 1e-3, $"parameter {k}: analytic {gradient[k]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Paired_advantage_counts_only_the_rows_where_the_two_paths_disagree()
    {
        // Two labels, 30 rows of target 0: the baseline is right on rows 0-19, the candidate on rows 0-9 and 20-29.
        var targets = new int[30];
        static float[] Logits(Func<int, bool> right) => Enumerable.Range(0, 30).SelectMany(r => right(r) ? new[] { 1f, 0f } : [0f, 1f]).ToArray();
        var baseline = Logits(r => r < 20);
        var candidate = Logits(r => r < 10 || r >= 20);
        var better = Logits(r => true);

        Assert.Equal(0, LinearPathTrainer.PairedAdvantage(candidate, baseline, targets, 2), 6);
        Assert.Equal(10 / Math.Sqrt(10), LinearPathTrainer.PairedAdvantage(better, baseline, targets, 2), 6);
        Assert.Equal(-10 / Math.Sqrt(10), LinearPathTrainer.PairedAdvantage(baseline, better, targets, 2), 6);
        Assert.Equal(0, LinearPathTrainer.PairedAdvantage(baseline, baseline, targets, 2), 6);
    }

    [Fact]
    public void Lbfgs_reaches_the_minimum_where_the_gradient_vanishes()
    {
        var rows = Enumerable.Range(0, 30).Select(i => new EncodedRow(new SparseFeatures([i % 3, 3 + (i % 5)], [1f, 0.5f]), [[i % 3]])).ToArray();
        var data = LinearRows.Build(rows, LinearPathTrainer.Idf(rows, 8), 8, wordBuckets: 0);
        var problem = new LinearProblem(data, Enumerable.Range(0, 30).ToArray(), rows.Select(r => r.Targets[0]![0]).ToArray(), [1f, 1f, 1f], 3, new ParallelOptions()).WithC(10);

        var solution = Lbfgs.Minimize(problem, new float[problem.Dimension], 500, CancellationToken.None);
        var gradient = new float[problem.Dimension];
        problem.Evaluate(solution, gradient);

        Assert.True(gradient.Max(Math.Abs) < 1e-3f, $"largest gradient entry {gradient.Max(Math.Abs)}");
    }
}
