using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Training.Data;

/// <summary>Turns a raw record into a row: composes the text, applies label maps, constants and tags.</summary>
internal static class RowMapper
{
    public static LabeledTicket? ToTicket(SourcePlan plan, RawRecord record, SourceCounts counts)
    {
        var text = ComposeText(record.Text);
        if (text is null)
        {
            counts.EmptyText++;
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Labels.Count; i++)
        {
            if (MapLabel(plan, plan.Labels[i], record.Labels[i]?.Trim(), record.Row, counts) is { } label)
            {
                labels[plan.Labels[i].Head] = label;
            }
        }

        foreach (var (head, value) in plan.Constants)
        {
            labels[head] = value;
        }

        var multi = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (plan.TagsHead is not null)
        {
            multi[plan.TagsHead] = (record.Tags ?? [])
                .Select(t => t.Trim())
                .Where(t => t.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
        }

        return new LabeledTicket(text, labels, multi)
        {
            Id = string.IsNullOrWhiteSpace(record.Id) ? null : record.Id.Trim(),
            Answer = string.IsNullOrWhiteSpace(record.Answer) ? null : record.Answer.Trim(),
            Origin = $"{plan.DisplayPath}:{record.Row}",
        };
    }

    /// <summary>The first of several text fields is the subject, the rest the body; one field is the body. Null when all are empty.</summary>
    public static TicketText? ComposeText(IReadOnlyList<string?> fields)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

        if (fields.Count == 1)
        {
            return Clean(fields[0]) is { } only ? TicketText.FromBody(only) : null;
        }

        var subject = Clean(fields[0]);
        var rest = fields.Skip(1).Select(Clean).OfType<string>().ToArray();
        var body = rest.Length == 0 ? null : string.Join("\n", rest);
        return subject is null && body is null ? null : new TicketText(subject, body);
    }

    private static string? MapLabel(SourcePlan plan, LabelPlan label, string? raw, int row, SourceCounts counts)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var map = label.Spec.Map;
        if (map is null)
        {
            return raw;
        }

        if (map.TryGetValue(raw, out var mapped))
        {
            return string.IsNullOrWhiteSpace(mapped) ? null : mapped;
        }

        switch (label.Spec.Unmapped)
        {
            case UnmappedLabels.Keep:
                return raw;
            case UnmappedLabels.Skip:
                counts.Unmapped++;
                return null;
            default:
                var keys = string.Join(", ", map.Keys.Take(20).Select(k => $"'{k}'")) + (map.Count > 20 ? ", ..." : "");
                var file = label.Column is null ? plan.LabelsDisplayPath : plan.DisplayPath;
                throw new TrainingDataException(
                    $"value '{raw}' of head '{label.Head}' is not in its map ({keys}); add it to the map or set \"unmapped\": \"keep\" or \"skip\"",
                    file,
                    row,
                    label.Column,
                    plan.Unit);
        }
    }
}

/// <summary>Running totals of one source while it loads.</summary>
internal sealed class SourceCounts
{
    public int Kept { get; set; }

    public int EmptyText { get; set; }

    public int Duplicates { get; set; }

    public int Unmapped { get; set; }
}
