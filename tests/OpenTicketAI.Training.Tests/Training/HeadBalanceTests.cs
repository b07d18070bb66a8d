using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class HeadBalanceTests
{
    private const string NoiseHead = "noise";

    [Fact]
    public void Prior_loss_of_a_single_label_head_is_the_entropy_of_its_label_frequencies()
    {
        var set = Set([("a", []), ("a", []), ("a", []), ("b", ["x"])]);
        var queue = HeadLayout.Build(set)[0];

        var prior = queue.PriorLoss(Targets(set, queue), [1f, 1f]);

        Assert.Equal(-((0.75 * Math.Log(0.75)) + (0.25 * Math.Log(0.25))), prior, 9);
    }

    [Fact]
    public void Prior_loss_of_a_multi_label_head_sums_the_binary_entropy_of_each_label()
    {
        var set = Set([("a", ["x"]), ("a", ["x", "y"]), ("b", []), ("b", [])]);
        var tags = HeadLayout.Build(set)[1];

        var prior = tags.PriorLoss(Targets(set, tags), [1f, 1f]);

        var x = -((0.5 * Math.Log(0.5)) + (0.5 * Math.Log(0.5)));
        var y = -((0.25 * Math.Log(0.25)) + (0.75 * Math.Log(0.75)));
        Assert.Equal(x + y, prior, 9);
    }

    [Fact]
    public void Prior_loss_of_a_head_with_one_seen_label_falls_back_to_one()
    {
        var set = Set([("a", ["x"]), ("a", ["x"])]) with { Heads = [new HeadDefinition(SyntheticTickets.TagsHead, HeadKind.MultiLabel)] };
        var tags = HeadLayout.Build(set)[0];

        Assert.Equal(1, tags.PriorLoss(Targets(set, tags), [1f]));
    }

    [Fact]
    public void A_head_with_hundreds_of_labels_weighs_by_its_labels_per_row_not_by_its_label_count()
    {
        // Summed over 400 labels, the noise head's raw loss is many times the queue's; divided by their prior losses,
        // the queue counts 1 and the noise head its ~5 labels per row times MultiLabelLossWeight when nothing is learnt.
        var set = WithNoiseHead(SyntheticTickets.TrainingSet(tickets: 200, tweets: 0), labels: 400, perRow: 5);
        var heads = HeadLayout.Build(set);
        var options = SyntheticModelFixture.SmallOptions() with { ClassWeightExponent = 0 };
        var featurizer = new HashedNgramFeaturizer(options.Featurizer);
        var rows = set.Rows.Select(r => new EncodedRow(featurizer.Featurize(r.Text), heads.Select(h => h.Encode(r)).ToArray())).ToArray();
        var run = new TrainingRun(options, new ParallelOptions(), heads, rows, []);

        var priors = heads.Select((h, i) => h.PriorLoss(rows.Select(r => r.Targets[i]), h.ClassWeights(rows.Select(r => r.Targets[i]), 0))).ToArray();

        Assert.True(priors[1] > 10 * priors[0], $"noise prior {priors[1]} vs queue prior {priors[0]}");
        Assert.Equal(1.0, priors[0] * run.LossScales[0], 5);
        var positives = rows.Average(r => r.Targets[1]!.Length);
        Assert.Equal(options.MultiLabelLossWeight * positives, priors[1] * run.LossScales[1], 3);
    }

    [Fact]
    public void Unlearnable_head_with_hundreds_of_labels_does_not_stop_the_learnable_head_early()
    {
        var set = WithNoiseHead(SyntheticTickets.TrainingSet(tickets: 600, tweets: 0), labels: 400, perRow: 5);
        var options = SyntheticModelFixture.SmallOptions() with { ClassWeightExponent = 0 };

        var result = new MultiHeadTrainer(options).Train(set);

        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        var heldOut = SyntheticTickets.HeldOut(tickets: 200, tweets: 0);
        var scores = result.Network.Forward(heldOut.Select(t => featurizer.Featurize(t.Text)).ToArray());
        var labels = result.Manifest.Heads[0].Labels;
        var right = heldOut.Where((ticket, i) =>
        {
            var row = scores[0].AsSpan(i * labels.Count, labels.Count).ToArray();
            return labels[Array.IndexOf(row, row.Max())] == ticket.Labels[SyntheticTickets.QueueHead];
        }).Count();

        Assert.True(result.Manifest.Training.Epochs >= 2, $"stopped at epoch {result.Manifest.Training.Epochs}");
        Assert.True(right >= 190, $"{right}/200 held-out queues right");
    }

    private static TrainingSet Set(IEnumerable<(string Queue, string[] Tags)> rows) => new(
        rows.Select((r, i) => new LabeledTicket(
            new TicketText($"ticket {i}", "body"),
            new Dictionary<string, string> { [SyntheticTickets.QueueHead] = r.Queue },
            new Dictionary<string, IReadOnlyList<string>> { [SyntheticTickets.TagsHead] = r.Tags })).ToArray(),
        [new HeadDefinition(SyntheticTickets.QueueHead, HeadKind.SingleLabel), new HeadDefinition(SyntheticTickets.TagsHead, HeadKind.MultiLabel)],
        []);

    private static IEnumerable<int[]?> Targets(TrainingSet set, HeadLayout head) => set.Rows.Select(head.Encode);

    /// <summary>Keeps only the queue head and adds a multi-label head whose labels are drawn at random: nothing to learn.</summary>
    private static TrainingSet WithNoiseHead(TrainingSet source, int labels, int perRow)
    {
        var random = new Random(11);
        var rows = source.Rows
            .Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead))
            .Select(r => r with
            {
                Labels = new Dictionary<string, string> { [SyntheticTickets.QueueHead] = r.Labels[SyntheticTickets.QueueHead] },
                MultiLabels = new Dictionary<string, IReadOnlyList<string>>
                {
                    [NoiseHead] = Enumerable.Range(0, perRow).Select(_ => $"n{random.Next(labels):000}").Distinct().ToArray(),
                },
            })
            .ToArray();
        return new TrainingSet(rows, [new HeadDefinition(SyntheticTickets.QueueHead, HeadKind.SingleLabel), new HeadDefinition(NoiseHead, HeadKind.MultiLabel)], source.Sources);
    }
}
