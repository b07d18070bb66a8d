using OpenTicketAI.Testing;
using System.Security.Cryptography;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class CsvLoadingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_reads_subject_body_and_labels_from_csv()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\nPrinter,It jams,IT\nInvoice,Wrong amount,Billing\nVPN,Down again,IT\nRefund,Please,Billing\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal(4, set.Rows.Count);
        Assert.Equal("Printer", set.Rows[0].Text.Subject);
        Assert.Equal("It jams", set.Rows[0].Text.Body);
        Assert.Equal("Billing", set.Rows[1].Labels["queue"]);
        Assert.Equal("t.csv:2", set.Rows[0].Origin);
        Assert.Equal([new HeadDefinition("queue", HeadKind.SingleLabel)], set.Heads);
    }

    [Fact]
    public void Load_keeps_multiline_quoted_fields_and_counts_rows_as_records()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\r\nA,\"line one\r\nline two, with \"\"quotes\"\"\",IT\r\nB,plain,IT\r\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal("line one\r\nline two, with \"quotes\"", set.Rows[0].Text.Body);
        Assert.Equal("t.csv:3", set.Rows[1].Origin);
    }

    [Fact]
    public void Load_joins_all_text_columns_after_the_first_as_body()
    {
        var file = _dir.Write("t.csv", "title,body,answer,queue\nT,question,reply,IT\nU,q2,,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Text = ["title", "body", "answer"], Labels = Columns("queue") }), _dir.Path);

        Assert.Equal(new TicketText("T", "question\nreply"), set.Rows[0].Text);
        Assert.Equal(new TicketText("U", "q2"), set.Rows[1].Text);
    }

    [Fact]
    public void Load_treats_a_single_text_column_as_body()
    {
        var file = _dir.Write("t.csv", "utterance,intent\ncancel my order,cancel\ncancel it,cancel\n");

        var set = TrainingDataLoader.Load(With(Single("intent"), new DataSource { Path = file, Text = ["utterance"], Labels = Columns("intent") }), _dir.Path);

        Assert.Null(set.Rows[0].Text.Subject);
        Assert.Equal("cancel my order", set.Rows[0].Text.Body);
    }

    [Fact]
    public void Load_collects_trimmed_tags_from_glob_columns_and_ignores_empty_cells()
    {
        var file = _dir.Write("t.csv", "subject,body,queue,tag_1,tag_2,tag_3\nA,a,IT, Network ,,VPN\nB,b,IT,,,\n");
        var heads = new Dictionary<string, HeadKind> { ["queue"] = HeadKind.SingleLabel, ["tags"] = HeadKind.MultiLabel };

        var set = TrainingDataLoader.Load(With(heads, new DataSource { Path = file, Labels = Columns("queue"), Tags = ["tag_*"] }), _dir.Path);

        Assert.Equal(["Network", "VPN"], set.Rows[0].MultiLabels["tags"]);
        Assert.Empty(set.Rows[1].MultiLabels["tags"]);
    }

    [Fact]
    public void Load_collects_tags_from_a_list_of_columns()
    {
        var file = _dir.Write("t.csv", "subject,body,first,second,other\nA,a,x,y,z\n");
        var heads = new Dictionary<string, HeadKind> { ["tags"] = HeadKind.MultiLabel };

        var set = TrainingDataLoader.Load(With(heads, new DataSource { Path = file, Tags = ["first", "second"] }), _dir.Path);

        Assert.Equal(["x", "y"], set.Rows[0].MultiLabels["tags"]);
    }

    [Fact]
    public void Load_leaves_the_head_off_rows_with_an_empty_label_cell()
    {
        var file = _dir.Write("t.csv", "subject,body,queue,priority\nA,a,IT,high\nB,b,IT,\nC,c,IT,high\n");

        var set = TrainingDataLoader.Load(With(Single("queue", "priority"), new DataSource { Path = file, Labels = Columns("queue", "priority") }), _dir.Path);

        Assert.Equal(3, set.Rows.Count);
        Assert.False(set.Rows[1].Labels.ContainsKey("priority"));
        Assert.Equal("IT", set.Rows[1].Labels["queue"]);
    }

    [Fact]
    public void Load_reads_a_semicolon_delimited_file()
    {
        var file = _dir.Write("t.csv", "subject;body;queue\nA;a, with comma;IT\nB;b;IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Delimiter = ";", Labels = Columns("queue") }), _dir.Path);

        Assert.Equal("a, with comma", set.Rows[0].Text.Body);
    }

    [Fact]
    public void Load_reads_tsv_by_extension()
    {
        var file = _dir.Write("t.tsv", "subject\tbody\tqueue\nA\ta\tIT\nB\tb\tIT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal("IT", set.Rows[1].Labels["queue"]);
    }

    [Fact]
    public void Load_skips_and_counts_rows_whose_subject_and_body_are_empty()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\nA,a,IT\n , ,IT\n,,IT\nB,b,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal(2, set.Rows.Count);
        Assert.Equal(2, set.Statistics!.EmptyTextSkipped);
        Assert.Equal(4, set.Statistics.RowsRead);
    }

    [Fact]
    public void Load_names_file_row_and_column_when_label_column_is_missing()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\nA,a,IT\n");

        var error = LoadFails(_dir, With(Single("priority"), new DataSource { Path = file, Labels = Columns("priority") }));

        Assert.Equal(("t.csv", 1, "priority"), (error.File, error.Row, error.Column));
        Assert.Contains("subject, body, queue", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("t.csv, row 1, column 'priority':", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_tag_glob_that_matches_no_column()
    {
        var file = _dir.Write("t.csv", "subject,body\nA,a\n");
        var heads = new Dictionary<string, HeadKind> { ["tags"] = HeadKind.MultiLabel };

        var error = LoadFails(_dir, With(heads, new DataSource { Path = file, Tags = ["tag_*"] }));

        Assert.Equal("tag_*", error.Column);
    }

    [Fact]
    public void Load_names_the_file_when_it_is_missing()
    {
        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = "nope.csv", Labels = Columns("queue") }));

        Assert.Equal("nope.csv", error.File);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Load_names_the_file_when_it_is_empty(string content)
    {
        var file = _dir.Write("empty.csv", content);

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }));

        Assert.Equal("empty.csv", error.File);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_csv_with_a_header_but_no_rows()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }));

        Assert.Contains("no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_csv_row_that_holds_invalid_utf8()
    {
        // Row 2 spans two lines, so the bad byte sits on line 4 but in row 3.
        var head = "subject,body,queue\nA,\"two\nlines\",IT\nB,bad "u8.ToArray();
        var file = _dir.WriteBytes("t.csv", [.. head, 0xC3, 0x28, .. ",IT\n"u8.ToArray()]);

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }));

        Assert.Equal(("t.csv", 3), (error.File, error.Row));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_accepts_a_utf8_byte_order_mark()
    {
        var file = _dir.WriteBytes("t.csv", [0xEF, 0xBB, 0xBF, .. "subject,body,queue\nÄ,ö,IT\nB,b,IT\n"u8.ToArray()]);

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal("Ä", set.Rows[0].Text.Subject);
    }

    [Fact]
    public void Load_names_the_row_whose_field_count_differs_from_the_header()
    {
        var file = _dir.Write("t.csv", "subject,body,queue\nA,a,IT\nB,b\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }));

        Assert.Equal(3, error.Row);
        Assert.Contains("2 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_drops_exact_duplicates_across_sources_and_keeps_the_first()
    {
        var a = _dir.Write("a.csv", "subject,body,queue\nA,a,IT\nB,b,Billing\nA,a,IT\n");
        var b = _dir.Write("b.csv", "subject,body,queue\nB,b,Sales\nC,c,Billing\nA,a2,IT\n");
        var recipe = With(Single("queue"), new DataSource { Path = a, Labels = Columns("queue") }, new DataSource { Path = b, Labels = Columns("queue") });

        var set = TrainingDataLoader.Load(recipe with { MinRowsPerClass = 1 }, _dir.Path);

        Assert.Equal(["A|a", "B|b", "C|c", "A|a2"], set.Rows.Select(r => $"{r.Text.Subject}|{r.Text.Body}"));
        Assert.Equal("Billing", set.Rows[1].Labels["queue"]);
        Assert.Equal([1, 1], set.Statistics!.Sources.Select(s => s.DuplicatesDropped));
        Assert.Equal(2, set.Statistics.DuplicatesDropped);
    }

    [Fact]
    public void Load_keeps_duplicates_when_deduplicate_is_false()
    {
        var file = _dir.Write("a.csv", "subject,body,queue\nA,a,IT\nA,a,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }) with { Deduplicate = false }, _dir.Path);

        Assert.Equal(2, set.Rows.Count);
    }

    [Fact]
    public void Load_records_path_sha256_and_kept_rows_per_source()
    {
        var file = _dir.Write("a.csv", "subject,body,queue\nA,a,IT\nA,a,IT\nB,b,IT\n");
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir.Path, file))));

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal([new SourceSummary("a.csv", expected, 2)], set.Sources);
    }

    [Fact]
    public void Load_reads_the_id_column_onto_each_row()
    {
        var file = _dir.Write("a.csv", "ticket,subject,body,queue\n17,A,a,IT\n18,B,b,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Id = "ticket", Labels = Columns("queue") }), _dir.Path);

        Assert.Equal(["17", "18"], set.Rows.Select(r => r.Id));
    }
}
