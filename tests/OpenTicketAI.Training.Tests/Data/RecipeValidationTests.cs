using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class RecipeValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _csv;

    public RecipeValidationTests() =>
        _csv = _dir.Write("t.csv", "subject,body,queue,priority,tag_1\nA,a,IT,high,x\nB,b,IT,high,\nC,c,Billing,low,y\nD,d,Billing,critical,\n");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_rejects_a_head_a_source_uses_that_heads_do_not_declare()
    {
        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = _csv, Labels = Columns("queue", "team") }));

        Assert.Equal("t.csv", error.File);
        Assert.Contains("head 'team'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not declared", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_constant_for_an_undeclared_head()
    {
        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = _csv, Labels = Columns("queue"), Constants = new Dictionary<string, string> { ["language"] = "EN" } }));

        Assert.Contains("head 'language'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_declared_head_that_no_source_feeds()
    {
        var error = LoadFails(_dir, With(Single("queue", "sentiment"), new DataSource { Path = _csv, Labels = Columns("queue") }));

        Assert.Contains("'sentiment'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no source feeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_head_and_class_with_too_few_rows()
    {
        var error = LoadFails(_dir, With(Single("priority"), new DataSource { Path = _csv, Labels = Columns("priority") }));

        Assert.Contains("head 'priority': class 'low' has 1 row (at t.csv:4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("class 'critical'", error.Message, StringComparison.Ordinal);
        Assert.Contains("minRowsPerClass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_accepts_rare_classes_when_min_rows_per_class_is_lowered()
    {
        var set = TrainingDataLoader.Load(With(Single("priority"), new DataSource { Path = _csv, Labels = Columns("priority") }) with { MinRowsPerClass = 1 }, _dir.Path);

        Assert.Equal(4, set.Rows.Count);
    }

    [Fact]
    public void Load_rejects_labels_that_feed_a_multi_label_head()
    {
        var heads = new Dictionary<string, HeadKind> { ["tags"] = HeadKind.MultiLabel };

        var error = LoadFails(_dir, With(heads, new DataSource { Path = _csv, Labels = new Dictionary<string, LabelSpec> { ["tags"] = LabelSpec.FromColumn("tag_1") } }));

        Assert.Contains("multi-label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_tags_that_feed_a_single_label_head()
    {
        var error = LoadFails(_dir, With(Single("tags"), new DataSource { Path = _csv, Tags = ["tag_*"] }));

        Assert.Contains("single-label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_path_whose_extension_does_not_tell_the_format()
    {
        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = "data.xlsx", Labels = Columns("queue") }));

        Assert.Equal("data.xlsx", error.File);
        Assert.Contains("\"format\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_file_whose_format_is_given_explicitly()
    {
        var file = _dir.Write("export.data", "subject,body,queue\nA,a,IT\nB,b,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = file, Format = SourceFormat.Csv, Labels = Columns("queue") }), _dir.Path);

        Assert.Equal(2, set.Rows.Count);
    }

    [Fact]
    public void Load_rejects_a_recipe_without_heads()
    {
        var error = LoadFails(_dir, With(new Dictionary<string, HeadKind>(), new DataSource { Path = _csv }));

        Assert.Contains("no heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_head_whose_cells_are_all_empty()
    {
        var file = _dir.Write("e.csv", "subject,body,queue\nA,a,\nB,b,\n");

        var error = LoadFails(_dir, With(Single("queue"), new DataSource { Path = file, Labels = Columns("queue") }));

        Assert.Contains("head 'queue': no row carries a label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_tags_head_whose_cells_are_all_empty()
    {
        var file = _dir.Write("e.csv", "subject,body,tag_1,tag_2\nA,a,,\nB,b, ,\n");
        var heads = new Dictionary<string, HeadKind> { ["tags"] = HeadKind.MultiLabel };

        var error = LoadFails(_dir, With(heads, new DataSource { Path = file, Tags = ["tag_*"] }));

        Assert.Contains("head 'tags': no row has a label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountLabels_counts_rows_per_label_of_each_head()
    {
        var heads = new Dictionary<string, HeadKind> { ["queue"] = HeadKind.SingleLabel, ["tags"] = HeadKind.MultiLabel };

        var set = TrainingDataLoader.Load(With(heads, new DataSource { Path = _csv, Labels = Columns("queue"), Tags = ["tag_*"] }), _dir.Path);
        var counts = set.CountLabels();

        Assert.Equal(2, counts["queue"]["IT"]);
        Assert.Equal(1, counts["tags"]["y"]);
    }
}
