using System.Text.Json;

namespace OpenTicketAI.Training.Data;

/// <summary>
/// Reads one JSON object per line. Fields hold strings (numbers and booleans are taken as written, null = empty);
/// a tag field may hold a string or an array of strings. A field may be absent on some lines, but not on all.
/// </summary>
internal static class JsonlSourceReader
{
    public static List<RawRecord> Read(SourcePlan plan, SourceFile file, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var records = new List<RawRecord>();
        using var reader = new StringReader(file.Text);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            using var document = Parse(plan, text, line);
            var root = document.RootElement;
            foreach (var property in root.EnumerateObject())
            {
                seen.Add(property.Name);
            }

            records.Add(new RawRecord(
                line,
                plan.TextFields.Select(f => Scalar(plan, root, f, line)).ToArray(),
                plan.Labels.Select(l => Scalar(plan, root, l.Column!, line)).ToArray(),
                plan.TagsHead is null ? null : plan.TagFields.SelectMany(f => Tags(plan, root, f, line)).ToArray(),
                plan.IdField is null ? null : Scalar(plan, root, plan.IdField, line))
            {
                Answer = plan.AnswerField is null ? null : Scalar(plan, root, plan.AnswerField, line),
            });
        }

        if (records.Count == 0)
        {
            throw new TrainingDataException("the file is empty", plan.DisplayPath);
        }

        RequireSeen(plan, seen);
        return records;
    }

    private static JsonDocument Parse(SourcePlan plan, string text, int line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new TrainingDataException($"not valid JSON: {ex.Message}", plan.DisplayPath, line, unit: RowUnit.Line, innerException: ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new TrainingDataException($"expected a JSON object, found {kind}", plan.DisplayPath, line, unit: RowUnit.Line);
        }

        return document;
    }

    private static string? Scalar(SourcePlan plan, JsonElement root, string field, int line)
    {
        if (!TryGet(root, field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new TrainingDataException($"expected a string, found {value.ValueKind}", plan.DisplayPath, line, field, RowUnit.Line),
        };
    }

    private static List<string> Tags(SourcePlan plan, JsonElement root, string field, int line)
    {
        var values = ColumnGlob.IsGlob(field)
            ? root.EnumerateObject().Where(p => ColumnGlob.Matches(field, p.Name)).Select(p => (p.Name, p.Value)).ToList()
            : TryGet(root, field, out var v) ? [(field, v)] : [];

        var tags = new List<string>();
        foreach (var (name, value) in values)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    tags.Add(value.GetString()!);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        tags.Add(item.ValueKind == JsonValueKind.String
                            ? item.GetString()!
                            : throw new TrainingDataException($"a tag array holds strings, found {item.ValueKind}", plan.DisplayPath, line, name, RowUnit.Line));
                    }

                    break;
                default:
                    throw new TrainingDataException($"expected a string or an array of strings, found {value.ValueKind}", plan.DisplayPath, line, name, RowUnit.Line);
            }
        }

        return tags;
    }

    private static bool TryGet(JsonElement root, string field, out JsonElement value)
    {
        if (root.TryGetProperty(field, out value))
        {
            return true;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private static void RequireSeen(SourcePlan plan, HashSet<string> seen)
    {
        var fields = plan.TextFields
            .Concat(plan.Labels.Select(l => l.Column!))
            .Concat(plan.TagFields)
            .Concat(plan.IdField is null ? [] : [plan.IdField])
            .Concat(plan.AnswerField is null ? [] : [plan.AnswerField]);
        foreach (var field in fields)
        {
            var present = ColumnGlob.IsGlob(field) ? seen.Any(s => ColumnGlob.Matches(field, s)) : seen.Contains(field);
            if (!present)
            {
                throw new TrainingDataException(
                    $"no line has this field; fields found: {string.Join(", ", seen.Order(StringComparer.Ordinal))}", plan.DisplayPath, column: field);
            }
        }
    }
}
