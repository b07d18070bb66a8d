using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Training.Data;

/// <summary>Reads tickets to classify (CSV or JSONL, no labels) with the same readers and errors as training data.</summary>
public static class UnlabeledTickets
{
    /// <summary>One entry per input row, in file order; a row with no text becomes an empty ticket so outputs stay aligned.</summary>
    public static async Task<IReadOnlyList<LabeledTicket>> ReadAsync(
        string path,
        IReadOnlyList<string>? textColumns,
        string? idColumn,
        string? format,
        CancellationToken cancellationToken = default)
    {
        var source = new DataSource
        {
            Path = path,
            Format = CommandLineData.ParseFormat(format),
            Text = textColumns is { Count: > 0 } ? textColumns.SelectMany(c => c.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray() : null,
            Id = idColumn,
        };
        var plan = SourcePlanner.Plan(new DataRecipe(), source, 0, Directory.GetCurrentDirectory());
        if (plan.Format == SourceFormat.Lines)
        {
            throw new TrainingDataException("tickets to classify must be CSV or JSONL", plan.DisplayPath);
        }

        var file = await SourceFile.ReadAsync(plan.DisplayPath, plan.FullPath, plan.Format, plan.Delimiter, cancellationToken).ConfigureAwait(false);
        var records = plan.Format == SourceFormat.Csv
            ? CsvSourceReader.Read(plan, file, cancellationToken)
            : JsonlSourceReader.Read(plan, file, cancellationToken);
        var empty = new Dictionary<string, string>();
        var noTags = new Dictionary<string, IReadOnlyList<string>>();
        return records
            .Select(r => new LabeledTicket(RowMapper.ComposeText(r.Text) ?? new TicketText(null, null), empty, noTags)
            {
                Id = string.IsNullOrWhiteSpace(r.Id) ? null : r.Id.Trim(),
                Origin = $"{plan.DisplayPath}:{r.Row}",
            })
            .ToArray();
    }
}
