using System.IO.Hashing;
using System.Text;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Learning;

/// <summary>Row indices of the train, validation and test parts, each in the input order.</summary>
internal sealed record SplitIndices(int[] Train, int[] Validation, int[] Test);

/// <summary>
/// Splits rows per stratum (the first single-label head a row carries and its label), so every part sees each class in
/// proportion, each stratum's rows in the order of a seeded hash of their text. A stratum too small to give a row away
/// stays in training.
/// </summary>
internal static class StratifiedSplit
{
    public static SplitIndices Split(IReadOnlyList<LabeledTicket> rows, IReadOnlyList<HeadDefinition> heads, double validationFraction, double testFraction, int seed)
    {
        var strata = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var key = StratumOf(rows[i], heads);
            if (!strata.TryGetValue(key, out var members))
            {
                strata[key] = members = [];
            }

            members.Add(i);
        }

        List<int> train = [], validation = [], test = [];
        foreach (var members in strata.Values)
        {
            var shuffled = members.OrderBy(i => Rank(rows[i], seed)).ThenBy(i => i).ToArray();
            var testCount = (int)Math.Round(shuffled.Length * testFraction);
            var heldOutCount = Math.Min((int)Math.Round(shuffled.Length * (testFraction + validationFraction)), shuffled.Length - 1);
            testCount = Math.Min(testCount, heldOutCount);
            test.AddRange(shuffled[..testCount]);
            validation.AddRange(shuffled[testCount..heldOutCount]);
            train.AddRange(shuffled[heldOutCount..]);
        }

        return new SplitIndices([.. train.Order()], [.. validation.Order()], [.. test.Order()]);
    }

    /// <summary>
    /// A row's place in its stratum: a seeded hash of its text, so it keeps its part when other rows are added, removed or
    /// relabelled (a shuffle drawn from one random stream moved almost every row then), and copies of a text fall together.
    /// </summary>
    private static ulong Rank(LabeledTicket row, int seed) =>
        XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{row.Text.Subject}\u001F{row.Text.Body}"), seed);

    private static string StratumOf(LabeledTicket row, IReadOnlyList<HeadDefinition> heads)
    {
        foreach (var head in heads)
        {
            if (head.Kind == HeadKind.SingleLabel && row.Labels.TryGetValue(head.Name, out var label) && !string.IsNullOrWhiteSpace(label))
            {
                return $"{head.Name}\u001F{label}";
            }
        }

        return "";
    }
}
