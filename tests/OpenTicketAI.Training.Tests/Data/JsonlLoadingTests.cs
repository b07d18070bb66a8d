using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class JsonlLoadingTests : IDisposable
{
    private static readonly Dictionary<string, HeadKind> QueueAndTags = new() { ["queue"] = HeadKind.SingleLabel, ["tags"] = HeadKind.MultiLabel };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_reads_jsonl_with_array_tags()
    {
        var file = _dir.Write("t.jsonl", """
            {"subject": "VPN", "body": "down", "queue": "IT", "tags": ["Network", " VPN ", "Network"]}

            {"subject": null, "body": "invoice", "queue": "IT", "tags": []}
            {"body": "no tags key", "queue": "IT"}
            """);

        var set = TrainingDataLoader.Load(With(QueueAndTags, new DataSource { Path = file, Labels = Columns("queue"), Tags = ["tags"] }), _dir.Path);

        Assert.Equal(3, set.Rows.Count);
        Assert.Equal(["Network", "VPN"], set.Rows[0].MultiLabels["tags"]);
        Assert.Null(set.Rows[1].Text.Subject);
        Assert.Empty(set.Rows[2].MultiLabels["tags"]);
        Assert.Equal("t.jsonl:3", set.Rows[1].Origin);
    }

    [Fact]
    public void An_answer_field_is_kept_on_each_row_and_a_field_no_line_has_is_an_error()
    {
        var file = _dir.Write("t.jsonl", """
            {"subject": "VPN", "body": "down", "queue": "IT", "reply": " Restart the client. "}
            {"subject": "Invoice", "body": "twice", "queue": "IT"}
            """);

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue"), Answer = "reply" }), _dir.Path);
        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue"), Answer = "answer" }));

        Assert.Equal(["Restart the client.", null], set.Rows.Select(r => r.Answer));
        Assert.Contains("'answer'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_jsonl_numbers_and_booleans_as_label_text()
    {
        var file = _dir.Write("t.jsonl", """
            {"body": "a", "priority": 2}
            {"body": "b", "priority": 2}
            """);

        var set = TrainingDataLoader.Load(With(Single("priority"), new DataSource { Path = file, Text = ["body"], Labels = Columns("priority") }), _dir.Path);

        Assert.Equal("2", set.Rows[0].Labels["priority"]);
    }

    [Theory]
    [InlineData("[1, 2]", "Array")]
    [InlineData("\"text\"", "String")]
    public void Load_names_file_and_line_when_a_jsonl_line_is_not_an_object(string line, string kind)
    {
        var file = _dir.Write("t.jsonl", "{\"body\": \"a\", \"queue\": \"IT\"}\n" + line + "\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Text = ["body"], Labels = Columns("queue") }));

        Assert.Equal(("t.jsonl", 2), (error.File, error.Row));
        Assert.StartsWith("t.jsonl, line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains(kind, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_file_and_line_when_a_jsonl_line_is_not_json()
    {
        var file = _dir.Write("t.jsonl", "{\"body\": \"a\", \"queue\": \"IT\"}\n{\"body\": oops}\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Text = ["body"], Labels = Columns("queue") }));

        Assert.Equal(2, error.Row);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_field_that_no_jsonl_line_has()
    {
        var file = _dir.Write("t.jsonl", "{\"body\": \"a\", \"team\": \"IT\"}\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Text = ["body"], Labels = Columns("queue") }));

        Assert.Equal("queue", error.Column);
        Assert.Contains("body, team", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_field_and_line_when_a_jsonl_label_is_an_object()
    {
        var file = _dir.Write("t.jsonl", "{\"body\": \"a\", \"queue\": {\"name\": \"IT\"}}\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Text = ["body"], Labels = Columns("queue") }));

        Assert.Equal((1, "queue"), (error.Row, error.Column));
    }

    [Fact]
    public void Load_names_the_jsonl_line_that_holds_invalid_utf8()
    {
        var file = _dir.WriteBytes("t.jsonl", [.. "{\"body\": \"a\", \"queue\": \"IT\"}\n{\"body\": \""u8.ToArray(), 0xFF, .. "\", \"queue\": \"IT\"}\n"u8.ToArray()]);

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Text = ["body"], Labels = Columns("queue") }));

        Assert.Equal(("t.jsonl", 2), (error.File, error.Row));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
