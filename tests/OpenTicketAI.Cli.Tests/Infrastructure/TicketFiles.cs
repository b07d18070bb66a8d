using System.Text;
using System.Text.Json;

namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>Writes fixture tickets as the files <c>otai</c> reads: CSV with a help-desk export's header, or JSONL.</summary>
public static class TicketFiles
{
    public const string CsvHeader = "subject,body,queue,priority,type,tag_1,tag_2,tag_3";

    public static readonly string[] Columns = ["subject", "body", "queue", "priority", "type", "tag_1", "tag_2", "tag_3"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>CSV with header <see cref="CsvHeader"/> (preceded by an <c>id</c> column when <paramref name="withId"/>); every field quoted.</summary>
    public static string Csv(IEnumerable<FixtureTicket> tickets, bool withId = false)
    {
        var csv = new StringBuilder();
        csv.Append(withId ? "id," : "").Append(CsvHeader).Append('\n');
        foreach (var t in tickets)
        {
            var tags = t.Tags.Take(3).Concat(Enumerable.Repeat("", 3)).Take(3);
            var fields = new[] { t.Subject, t.Body, t.Queue, t.Priority ?? "", t.Type }.Concat(tags);
            if (withId)
            {
                fields = fields.Prepend(t.Id);
            }

            csv.Append(string.Join(',', fields.Select(Quote))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>One JSON object per line with id, subject, body, queue, priority, type and <c>tags</c> as an array.</summary>
    public static string Jsonl(IEnumerable<FixtureTicket> tickets)
    {
        var jsonl = new StringBuilder();
        foreach (var t in tickets)
        {
            jsonl.Append(JsonSerializer.Serialize(new
            {
                id = t.Id,
                subject = t.Subject,
                body = t.Body,
                queue = t.Queue,
                priority = t.Priority,
                type = t.Type,
                tags = t.Tags,
            })).Append('\n');
        }

        return jsonl.ToString();
    }

    public static byte[] Bytes(string text) => Utf8.GetBytes(text);

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
