using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

[Collection(SyntheticModelGroup.Name)]
public sealed class MultiHeadTrainerTests(SyntheticModelFixture model)
{
    [Fact]
    public void Trained_model_classifies_held_out_synthetic_tickets()
    {
        var scores = model.Result.Network.Forward(model.Featurize(model.HeldOut));

        Assert.True(Accuracy(SyntheticTickets.QueueHead, scores) >= 0.95);
        Assert.True(Accuracy(SyntheticTickets.PriorityHead, scores) >= 0.85);
        Assert.True(Accuracy(SyntheticTickets.SentimentHead, scores) >= 0.9);
        Assert.True(TagsMicroF1(scores) >= 0.85);
    }

    [Fact]
    public void Calibrated_probabilities_sum_to_one_and_temperatures_are_positive()
    {
        var scores = model.Result.Network.Forward(model.Featurize(model.HeldOut.Take(40)));

        for (var h = 0; h < model.Result.Manifest.Heads.Count; h++)
        {
            var head = model.Result.Manifest.Heads[h];
            Assert.True(head.Temperature > 0);
            Assert.Equal(head.Temperature, model.Result.Network.Heads[h].Temperature, 6);
            Assert.All(scores[h], p => Assert.InRange(p, 0f, 1f));
            if (head.Kind == HeadKind.SingleLabel)
            {
                Assert.All(scores[h].Chunk(head.Labels.Count), row => Assert.Equal(1.0, row.Sum(), 4));
            }
        }
    }

    [Fact]
    public void Manifest_describes_heads_labels_and_split()
    {
        var manifest = model.Result.Manifest;

        Assert.Equal(ModelManifest.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal(["queue", "priority", "tags", "sentiment"], manifest.Heads.Select(h => h.Output));
        Assert.Equal(["Billing", "Sales", "Technical Support"], manifest.Heads[0].Labels);
        Assert.Equal(["high", "low", "medium"], manifest.Heads[1].Labels);
        Assert.Equal(["hardware", "login", "outage", "pricing", "refund"], manifest.Heads[2].Labels);
        Assert.Equal(5, manifest.Heads[2].Thresholds!.Count);
        Assert.All(manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel), h => Assert.Null(h.Thresholds));
        Assert.Equal(32, manifest.Graph.HiddenDimension);
        Assert.Empty(manifest.Metrics);
        Assert.Equal(model.Set.Sources, manifest.Training.Sources);

        var training = manifest.Training;
        Assert.Equal(model.Set.Rows.Count, training.Rows);
        Assert.Equal(training.Rows, training.TrainRows + training.ValidationRows + model.Result.TestRows.Count);
        Assert.Equal(training.ValidationRows, model.Result.ValidationRows.Count);
        Assert.InRange(model.Result.TestRows.Count, 90, 130);
        Assert.InRange(training.Epochs, 1, 20);
        Assert.Equal(model.Result.History[training.Epochs - 1].ValidationLoss, model.Result.History.Min(e => e.ValidationLoss));
    }

    [Fact]
    public void Label_counts_come_only_from_rows_that_carry_the_head()
    {
        var counts = model.Result.Manifest.Training.LabelCounts;
        var tweets = model.Set.Rows.Count(r => r.Labels.ContainsKey(SyntheticTickets.SentimentHead));
        var tickets = model.Set.Rows.Count(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead));

        Assert.Equal(tweets, counts[SyntheticTickets.SentimentHead].Values.Sum());
        Assert.Equal(tickets, counts[SyntheticTickets.QueueHead].Values.Sum());
        Assert.True(counts[SyntheticTickets.PriorityHead].Values.Sum() < tickets);
    }

    [Fact]
    public void Held_out_rows_are_disjoint_and_stratified_by_queue()
    {
        var validation = model.Result.ValidationRows.ToHashSet(ReferenceEqualityComparer.Instance);
        var test = model.Result.TestRows.ToHashSet(ReferenceEqualityComparer.Instance);

        Assert.Empty(validation.Intersect(test));
        foreach (var queue in model.Result.Manifest.Heads[0].Labels)
        {
            var share = model.Set.Rows.Count(r => r.Labels.GetValueOrDefault("queue") == queue) / (double)model.Set.Rows.Count;
            var testShare = model.Result.TestRows.Count(r => r.Labels.GetValueOrDefault("queue") == queue) / (double)test.Count;
            Assert.InRange(testShare, share - 0.02, share + 0.02);
        }
    }

    [Fact]
    public void Buckets_no_training_row_touches_stay_exactly_zero()
    {
        var heldOut = model.Result.ValidationRows.Concat(model.Result.TestRows).ToHashSet(ReferenceEqualityComparer.Instance);
        var touched = model.Featurize(model.Set.Rows.Where(r => !heldOut.Contains(r))).SelectMany(f => f.Ids).ToHashSet();
        var network = model.Result.Network;
        var embedding = network.Embedding.Span;

        for (var bucket = 0; bucket < network.Buckets; bucket++)
        {
            var row = embedding.Slice(bucket * network.HiddenDimension, network.HiddenDimension);
            if (!touched.Contains(bucket))
            {
                Assert.False(row.ContainsAnyExcept(0f), $"bucket {bucket} was never in a training row but is not zero");
            }
        }

        Assert.True(touched.Count < network.Buckets, "the test needs some untouched buckets");
    }

    private double Accuracy(string headName, float[][] scores)
    {
        var h = model.Result.Manifest.Heads.ToList().FindIndex(x => x.Name == headName);
        var head = model.Result.Manifest.Heads[h];
        var rows = Enumerable.Range(0, model.HeldOut.Count).Where(i => model.HeldOut[i].Labels.ContainsKey(headName)).ToArray();
        var right = rows.Count(i =>
        {
            var row = scores[h].AsSpan(i * head.Labels.Count, head.Labels.Count);
            return head.Labels[row.IndexOf(row.ToArray().Max())] == model.HeldOut[i].Labels[headName];
        });
        Assert.NotEmpty(rows);
        return right / (double)rows.Length;
    }

    private double TagsMicroF1(float[][] scores)
    {
        var h = model.Result.Manifest.Heads.ToList().FindIndex(x => x.Name == SyntheticTickets.TagsHead);
        var head = model.Result.Manifest.Heads[h];
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (var i = 0; i < model.HeldOut.Count; i++)
        {
            if (!model.HeldOut[i].MultiLabels.TryGetValue(head.Name, out var tags))
            {
                continue;
            }

            for (var k = 0; k < head.Labels.Count; k++)
            {
                var predicted = scores[h][(i * head.Labels.Count) + k] >= head.Thresholds![k];
                var actual = tags.Contains(head.Labels[k]);
                truePositives += predicted && actual ? 1 : 0;
                falsePositives += predicted && !actual ? 1 : 0;
                falseNegatives += !predicted && actual ? 1 : 0;
            }
        }

        return 2.0 * truePositives / ((2.0 * truePositives) + falsePositives + falseNegatives);
    }

    [Fact]
    public void Tag_thresholds_never_fall_below_the_configured_minimum()
    {
        var tags = model.Result.Manifest.Heads.Single(h => h.Kind == HeadKind.MultiLabel);

        Assert.NotNull(tags.Thresholds);
        Assert.All(tags.Thresholds!, t => Assert.InRange(t, new TrainerOptions().MinimumTagThreshold, 1f));
    }
}
