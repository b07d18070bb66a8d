using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace OpenTicketAI.Training.Data;

/// <summary>Reads RFC 4180 CSV with a header row; quoted fields may span lines.</summary>
internal static class CsvSourceReader
{
    public static List<RawRecord> Read(SourcePlan plan, SourceFile file, CancellationToken cancellationToken)
    {
        using var parser = new CsvParser(new StringReader(file.Text), Configuration(plan.Delimiter));
        if (!parser.Read())
        {
            throw new TrainingDataException("the file is empty (a header row is required)", plan.DisplayPath);
        }

        var header = parser.Record!.Select(h => h.Trim()).ToArray();
        var text = plan.TextFields.Select(f => Resolve(plan, header, f)).ToArray();
        var labels = plan.Labels.Select(l => Resolve(plan, header, l.Column!)).ToArray();
        var tags = plan.TagFields.SelectMany(f => ResolveTags(plan, header, f)).Distinct().ToArray();
        int? id = plan.IdField is null ? null : Resolve(plan, header, plan.IdField);
        int? answer = plan.AnswerField is null ? null : Resolve(plan, header, plan.AnswerField);

        var records = new List<RawRecord>();
        while (parser.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = parser.Row;
            var fields = parser.Record!;
            if (fields.Length != header.Length)
            {
                throw new TrainingDataException($"the row has {fields.Length} fields, the header has {header.Length}", plan.DisplayPath, row);
            }

            records.Add(new RawRecord(
                row,
                Array.ConvertAll(text, i => fields[i]),
                Array.ConvertAll(labels, i => fields[i]),
                plan.TagsHead is null ? null : tags.Select(i => fields[i]).ToArray(),
                id is { } idIndex ? fields[idIndex] : null)
            {
                Answer = answer is { } answerIndex ? fields[answerIndex] : null,
            });
        }

        if (records.Count == 0)
        {
            throw new TrainingDataException("the file has a header but no rows", plan.DisplayPath);
        }

        return records;
    }

    /// <summary>The number of records (header included) in <paramref name="text"/>; locates bad bytes.</summary>
    public static int CountRecords(string text, string delimiter)
    {
        using var parser = new CsvParser(new StringReader(text), Configuration(delimiter));
        var rows = 0;
        while (parser.Read())
        {
            rows = parser.Row;
        }

        return rows;
    }

    private static CsvConfiguration Configuration(string delimiter) => new(CultureInfo.InvariantCulture)
    {
        Delimiter = delimiter,
        BadDataFound = null, // a stray quote inside an unquoted field is kept as text; wrong field counts still fail
        IgnoreBlankLines = true,
    };

    private static int Resolve(SourcePlan plan, string[] header, string column)
    {
        var index = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw MissingColumn(plan, header, column);
    }

    private static int[] ResolveTags(SourcePlan plan, string[] header, string pattern)
    {
        if (!ColumnGlob.IsGlob(pattern))
        {
            return [Resolve(plan, header, pattern)];
        }

        var matches = Enumerable.Range(0, header.Length).Where(i => ColumnGlob.Matches(pattern, header[i])).ToArray();
        return matches.Length > 0 ? matches : throw MissingColumn(plan, header, pattern);
    }

    private static TrainingDataException MissingColumn(SourcePlan plan, string[] header, string column) =>
        new($"no such column; the header has: {string.Join(", ", header)}", plan.DisplayPath, 1, column);
}
