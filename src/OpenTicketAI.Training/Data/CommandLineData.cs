using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>
/// The data options of <c>otai train</c> without a recipe, e.g.
/// <c>--data tickets.csv --text subject,body --label queue --label priority=prio --tags 'tag_*'</c>.
/// Paths are relative to the current directory (pass it as the loader's base directory).
/// </summary>
public sealed record CommandLineData
{
    /// <summary>One or more data files (same columns).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Text columns; each entry may hold a comma-separated list. Empty = subject, body.</summary>
    public IReadOnlyList<string> Text { get; init; } = [];

    /// <summary>Single-label heads: "head" (the column of the same name) or "head=column".</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Tag columns for the "tags" head: a glob such as <c>tag_*</c> or a comma-separated list.</summary>
    public string? Tags { get; init; }

    /// <summary>csv or jsonl; null = from each file's extension.</summary>
    public string? Format { get; init; }

    public bool Deduplicate { get; init; } = true;

    public int Seed { get; init; } = 42;

    public int MinRowsPerClass { get; init; } = 2;

    public DataRecipe ToRecipe()
    {
        if (Files.Count == 0)
        {
            throw new TrainingDataException("give at least one data file (--data)");
        }

        var labels = Labels.Select(ParseLabel).ToList();
        var duplicate = labels.GroupBy(l => l.Head, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new TrainingDataException($"--label {duplicate.Key} is given twice");
        }

        var tags = string.IsNullOrWhiteSpace(Tags) ? null : SplitList([Tags]);
        if (labels.Count == 0 && tags is null)
        {
            throw new TrainingDataException("give at least one --label head[=column] or --tags");
        }

        var heads = labels.ToDictionary(l => l.Head, _ => HeadKind.SingleLabel, StringComparer.Ordinal);
        if (tags is not null && !heads.TryAdd(DataRecipe.DefaultTagsHead, HeadKind.MultiLabel))
        {
            throw new TrainingDataException($"--label {DataRecipe.DefaultTagsHead} clashes with --tags, which feeds the '{DataRecipe.DefaultTagsHead}' head");
        }

        var format = ParseFormat(Format);
        var text = Text.Count == 0 ? null : SplitList(Text);
        return new DataRecipe
        {
            Name = "command-line",
            Seed = Seed,
            Deduplicate = Deduplicate,
            MinRowsPerClass = MinRowsPerClass,
            Heads = heads,
            Sources = Files.Select(f => new DataSource
            {
                Path = f,
                Format = format,
                Text = text,
                Labels = labels.ToDictionary(l => l.Head, l => LabelSpec.FromColumn(l.Column), StringComparer.Ordinal),
                Tags = tags,
            }).ToArray(),
        };
    }

    private static (string Head, string Column) ParseLabel(string option)
    {
        var parts = option.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
        {
            throw new TrainingDataException($"--label '{option}' is not head or head=column");
        }

        return (parts[0], parts.Length == 2 ? parts[1] : parts[0]);
    }

    internal static SourceFormat? ParseFormat(string? format) => format?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "CSV" => SourceFormat.Csv,
        "JSONL" => SourceFormat.Jsonl,
        _ => throw new TrainingDataException($"--format '{format}' is not csv or jsonl"),
    };

    private static string[] SplitList(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
}
