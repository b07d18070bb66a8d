using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>A head to train: its name and whether it picks one label or any number of them.</summary>
public sealed record HeadDefinition(string Name, HeadKind Kind);

/// <summary>Rows from one or more sources, with the heads they train.</summary>
public sealed record TrainingSet(
    IReadOnlyList<LabeledTicket> Rows,
    IReadOnlyList<HeadDefinition> Heads,
    IReadOnlyList<SourceSummary> Sources)
{
    /// <summary>What loading read, skipped and dropped; null when the set was not built by <see cref="TrainingDataLoader"/>.</summary>
    public LoadStatistics? Statistics { get; init; }

    /// <summary>What the recipe's <see cref="DataRecipe.LanguageCheck"/> found; null without one.</summary>
    public LanguageCheckSummary? LanguageCheck { get; init; }

    /// <summary>Rows given for validation (see <see cref="DataRecipe.Validation"/>); null holds out a fraction of <see cref="Rows"/> instead.</summary>
    public IReadOnlyList<LabeledTicket>? ValidationRows { get; init; }

    /// <summary>Per head, rows per label (multi-label: rows carrying the label), for the manifest's <c>training.labelCounts</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> CountLabels()
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var head in Heads)
        {
            var labels = head.Kind == HeadKind.SingleLabel
                ? Rows.Select(r => r.Labels.GetValueOrDefault(head.Name)).OfType<string>()
                : Rows.SelectMany(r => r.MultiLabels.GetValueOrDefault(head.Name) ?? []);
            counts[head.Name] = labels
                .GroupBy(l => l, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }

        return counts;
    }
}

/// <summary>Totals of one load, per source and overall.</summary>
public sealed record LoadStatistics(IReadOnlyList<SourceStatistics> Sources, TimeSpan Elapsed)
{
    public int RowsRead => Sources.Sum(s => s.RowsRead);

    public int RowsKept => Sources.Sum(s => s.RowsKept);

    public int EmptyTextSkipped => Sources.Sum(s => s.EmptyTextSkipped);

    public int DuplicatesDropped => Sources.Sum(s => s.DuplicatesDropped);
}

/// <summary>
/// One source: rows read from the file, rows kept, rows skipped for empty text, rows dropped as duplicates of
/// an earlier row, and label values dropped by <c>"unmapped": "skip"</c>.
/// </summary>
public sealed record SourceStatistics(string Path, SourceFormat Format, int RowsRead, int RowsKept, int EmptyTextSkipped, int DuplicatesDropped, int UnmappedLabelsSkipped);
