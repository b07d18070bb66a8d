using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class PartialLabelTests
{
    [Fact]
    public void Head_carried_by_only_some_rows_still_learns()
    {
        // Only the sentiment-only tweets carry sentiment; tickets never do.
        var set = SyntheticTickets.TrainingSet(tickets: 300, tweets: 300);
        var result = new MultiHeadTrainer(SyntheticModelFixture.SmallOptions()).Train(set);

        var tweets = SyntheticTickets.HeldOut(tickets: 0, tweets: 100);
        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        var scores = result.Network.Forward(tweets.Select(t => featurizer.Featurize(t.Text)).ToArray());
        var h = result.Manifest.Heads.ToList().FindIndex(x => x.Name == SyntheticTickets.SentimentHead);
        var labels = result.Manifest.Heads[h].Labels;
        var right = tweets.Where((tweet, i) =>
        {
            var row = scores[h].AsSpan(i * labels.Count, labels.Count).ToArray();
            return labels[Array.IndexOf(row, row.Max())] == tweet.Labels[SyntheticTickets.SentimentHead];
        }).Count();

        Assert.True(right >= 90, $"{right}/100 held-out tweets right");
    }

    [Fact]
    public void Rows_without_a_multi_label_key_do_not_train_that_head_but_empty_lists_do()
    {
        // Every ticket outside Sales is tagged "flagged". Sales tickets either lack the tags key (no say on the head)
        // or carry an empty list (a negative example); only the latter may teach the head that Sales is not flagged.
        var absent = TrainFlagged(salesCarryEmptyList: false);
        var negative = TrainFlagged(salesCarryEmptyList: true);

        Assert.True(absent > 0.5, $"Sales scored {absent} although no Sales row carries the head");
        Assert.True(negative < 0.5, $"Sales scored {negative} although Sales rows are negatives");
    }

    private static float TrainFlagged(bool salesCarryEmptyList)
    {
        static IEnumerable<LabeledTicket> Relabel(IEnumerable<LabeledTicket> rows, bool salesCarryEmptyList) => rows
            .Where(r => r.Labels.ContainsKey(SyntheticTickets.QueueHead))
            .Select(r =>
            {
                var sales = r.Labels[SyntheticTickets.QueueHead] == "Sales";
                var tags = new Dictionary<string, IReadOnlyList<string>>();
                if (!sales)
                {
                    tags["flag"] = ["flagged"];
                }
                else if (salesCarryEmptyList)
                {
                    tags["flag"] = [];
                }

                return r with { MultiLabels = tags };
            });

        var source = SyntheticTickets.TrainingSet(tickets: 300, tweets: 0);
        var set = new TrainingSet(
            Relabel(source.Rows, salesCarryEmptyList).ToArray(),
            [new HeadDefinition(SyntheticTickets.QueueHead, HeadKind.SingleLabel), new HeadDefinition("flag", HeadKind.MultiLabel)],
            source.Sources);
        var result = new MultiHeadTrainer(SyntheticModelFixture.SmallOptions() with { MaxEpochs = 10 }).Train(set);

        var featurizer = new HashedNgramFeaturizer(result.Manifest.Featurizer);
        var sales = SyntheticTickets.HeldOut(tickets: 200, tweets: 0).Where(r => r.Labels[SyntheticTickets.QueueHead] == "Sales").ToArray();
        var scores = result.Network.Forward(sales.Select(r => featurizer.Featurize(r.Text)).ToArray());
        return scores[1].Average();
    }
}
