using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Import;

/// <summary>Which columns (CSV) or properties (JSONL) hold which field; a missing column leaves the field empty.</summary>
public sealed record DocumentColumns
{
    /// <summary>Row id column; without one, ids are <c>file:row</c> so indexing the same file again replaces its rows.</summary>
    public string Id { get; init; } = "id";

    public string Title { get; init; } = "subject";

    public string Body { get; init; } = "body";

    public string Answer { get; init; } = "answer";

    public string Queue { get; init; } = "queue";

    public string Language { get; init; } = "language";

    public string Date { get; init; } = "date";

    public string Reference { get; init; } = "reference";

    /// <summary>Columns whose name starts with this hold one tag each (<c>tag_1</c>…); a column named exactly so holds a comma-separated list.</summary>
    public string Tags { get; init; } = "tag";
}

/// <summary>Reads knowledge documents from CSV or JSONL (tickets) and from a directory of Markdown or HTML articles.</summary>
public static partial class DocumentReader
{
    public static IReadOnlyList<KnowledgeDocument> ReadFile(string path, DocumentColumns columns)
    {
        var rows = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".jsonl" or ".json" or ".ndjson" => ReadJsonl(path),
            _ => throw new KnowledgeException($"{path}: expected a .csv or .jsonl file."),
        };
        var name = Path.GetFileName(path);
        var documents = new List<KnowledgeDocument>();
        foreach (var (row, number) in rows)
        {
            var document = ToDocument(row, columns, $"{name}:{number}");
            if (document.HasText)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>Every <c>.md</c>, <c>.markdown</c>, <c>.html</c> and <c>.htm</c> file below <paramref name="directory"/>; the id and URL are its relative path.</summary>
    public static IReadOnlyList<KnowledgeDocument> ReadArticles(string directory, string? baseUrl = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new KnowledgeException($"{Path.GetFullPath(directory)}: no such directory of articles.");
        }

        var documents = new List<KnowledgeDocument>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            if (extension is not (".md" or ".markdown" or ".html" or ".htm"))
            {
                continue;
            }

            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            var text = File.ReadAllText(file);
            var (title, body) = extension is ".html" or ".htm" ? FromHtml(text) : FromMarkdown(text);
            documents.Add(new KnowledgeDocument
            {
                Id = relative,
                Title = title ?? Path.GetFileNameWithoutExtension(file),
                Body = body,
                Reference = baseUrl is null ? relative : baseUrl.TrimEnd('/') + "/" + relative,
                Date = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero),
            });
        }

        return documents;
    }

    public static (string? Title, string Body) FromMarkdown(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var heading = Array.FindIndex(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        var title = heading >= 0 ? lines[heading][2..].Trim() : null;
        var body = string.Join('\n', lines.Where((_, i) => i != heading).Select(l => MarkdownSyntax().Replace(l, string.Empty)));
        return (title, body.Trim());
    }

    public static (string? Title, string Body) FromHtml(string html)
    {
        var title = TitleTag().Match(html) is { Success: true } t ? t.Groups[1].Value : H1Tag().Match(html) is { Success: true } h ? h.Groups[1].Value : null;
        var withoutCode = ScriptOrStyle().Replace(html, " ");
        var text = WebUtility.HtmlDecode(Tags().Replace(BlockEnd().Replace(withoutCode, "\n"), " "));
        var body = string.Join('\n', text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0));
        return (title is null ? null : WebUtility.HtmlDecode(Tags().Replace(title, string.Empty)).Trim(), body);
    }

    private static KnowledgeDocument ToDocument(Dictionary<string, string> row, DocumentColumns columns, string origin)
    {
        string? Get(string column) => row.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Replace("\\n", "\n", StringComparison.Ordinal).Trim() : null;

        var tags = row.TryGetValue(columns.Tags, out var list)
            ? list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : row.Where(c => c.Key.StartsWith(columns.Tags, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(c.Value)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Trim()).ToArray();
        DateTimeOffset? date = null;
        if (Get(columns.Date) is { } text)
        {
            date = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new KnowledgeException($"{origin}: column '{columns.Date}' holds '{text}', which is not a date (use ISO 8601, e.g. 2025-03-01T12:00:00Z).");
        }

        return new KnowledgeDocument
        {
            Id = Get(columns.Id) ?? origin,
            Title = Get(columns.Title),
            Body = Get(columns.Body),
            Answer = Get(columns.Answer),
            Queue = Get(columns.Queue),
            Language = Get(columns.Language)?.ToLowerInvariant(),
            Reference = Get(columns.Reference),
            Tags = tags.Distinct(StringComparer.Ordinal).ToArray(),
            Date = date,
        };
    }

    private static IEnumerable<(Dictionary<string, string> Row, int Number)> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            yield break;
        }

        var number = 1;
        while (csv.Read())
        {
            number++;
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = csv.GetField(i) ?? string.Empty;
            }

            yield return (row, number);
        }
    }

    private static IEnumerable<(Dictionary<string, string> Row, int Number)> ReadJsonl(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                throw new KnowledgeException($"{path}:{number}: not a JSON object: {ex.Message}", ex);
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new KnowledgeException($"{path}:{number}: expected a JSON object per line.");
            }

            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in element.EnumerateObject())
            {
                row[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Array => string.Join(',', property.Value.EnumerateArray().Select(v => v.ToString())),
                    JsonValueKind.Null => string.Empty,
                    _ => property.Value.ToString(),
                };
            }

            yield return (row, number);
        }
    }

    [GeneratedRegex(@"^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s?)|[*_`]{1,3}|!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownSyntax();

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleTag();

    [GeneratedRegex("<h1[^>]*>(.*?)</h1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex H1Tag();

    [GeneratedRegex("<(script|style|head)[^>]*>.*?</\\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("</(p|div|li|h[1-6]|tr|br)\\s*>|<br\\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
