using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class StratifiedSplitTests
{
    [Fact]
    public void Rows_keep_their_part_when_other_rows_are_added_and_some_relabelled()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 600, tweets: 200);
        var before = Parts(set.Rows, set);
        var relabelled = set.Rows.Select((row, i) => i % 50 == 0 && row.Labels.ContainsKey(SyntheticTickets.QueueHead)
            ? row with { Labels = new Dictionary<string, string>(row.Labels) { [SyntheticTickets.QueueHead] = "Relabelled" } }
            : row);
        var grown = relabelled.Concat(SyntheticTickets.HeldOut(tickets: 60, tweets: 20, seed: 11)).ToList();

        var after = Parts(grown, set);

        var kept = before.Keys.Count(text => after.TryGetValue(text, out var part) && part == before[text]);
        Assert.True(kept >= 0.95 * before.Count, $"{kept} of {before.Count} rows kept their part");
        Assert.Contains("test", before.Values);
    }

    [Fact]
    public void Copies_of_one_text_fall_in_one_part()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 300, tweets: 0);
        var rows = set.Rows.Concat(set.Rows.Take(100)).ToList();

        var split = StratifiedSplit.Split(rows, set.Heads, 0.1, 0.2, seed: 42);

        var parts = new[] { split.Train, split.Validation, split.Test };
        var leaked = Enumerable.Range(0, 100).Count(i => parts.Count(p => p.Contains(i) || p.Contains(set.Rows.Count + i)) > 1);
        Assert.True(leaked <= 2, $"{leaked} of 100 copied texts are in two parts");
    }

    private static Dictionary<string, string> Parts(IReadOnlyList<LabeledTicket> rows, TrainingSet set)
    {
        var split = StratifiedSplit.Split(rows, set.Heads, 0.1, 0.2, seed: 42);
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, indices) in new[] { ("train", split.Train), ("validation", split.Validation), ("test", split.Test) })
        {
            foreach (var i in indices)
            {
                parts[$"{rows[i].Text.Subject}\n{rows[i].Text.Body}"] = name;
            }
        }

        return parts;
    }
}
