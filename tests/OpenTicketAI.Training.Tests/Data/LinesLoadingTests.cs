using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class LinesLoadingTests : IDisposable
{
    private static readonly Dictionary<string, LabelSpec> Sentiment = new()
    {
        ["sentiment"] = new LabelSpec { Map = new Dictionary<string, string> { ["0"] = "Negative", ["1"] = "Neutral", ["2"] = "Positive" } },
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_reads_lines_with_aligned_mapped_labels_and_constants()
    {
        var text = _dir.Write("train_text.txt", "awful\nfine\ngreat\nterrible\nok\nsuper");
        var labels = _dir.Write("train_labels.txt", "0\n1\n2\n0\n1\n2\n");

        var set = TrainingDataLoader.Load(
            With(Single("sentiment", "language"), new DataSource { Path = text, LabelsPath = labels, Labels = Sentiment, Constants = new Dictionary<string, string> { ["language"] = "EN" } }),
            _dir.Path);

        Assert.Equal(6, set.Rows.Count);
        Assert.Equal(("great", "Positive", "EN"), (set.Rows[2].Text.Body, set.Rows[2].Labels["sentiment"], set.Rows[2].Labels["language"]));
        Assert.Null(set.Rows[0].Text.Subject);
        Assert.Equal(2, set.Sources.Count);
        Assert.Equal(["train_text.txt", "train_labels.txt"], set.Sources.Select(s => s.Path));
    }

    [Fact]
    public void Load_names_both_files_when_line_counts_differ()
    {
        var text = _dir.Write("t.txt", "a\nb\nc\n");
        var labels = _dir.Write("l.txt", "0\n1\n");

        var error = LoadFails(_dir, With(Single("sentiment"), new DataSource { Path = text, LabelsPath = labels, Labels = Sentiment }));

        Assert.Equal("l.txt", error.File);
        Assert.Contains("2 lines", error.Message, StringComparison.Ordinal);
        Assert.Contains("t.txt has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_labels_file_and_line_when_a_label_is_not_in_the_map()
    {
        var text = _dir.Write("t.txt", "a\nb\nc\n");
        var labels = _dir.Write("l.txt", "0\n7\n1\n");

        var error = LoadFails(_dir, With(Single("sentiment"), new DataSource { Path = text, LabelsPath = labels, Labels = Sentiment }));

        Assert.Equal(("l.txt", 2), (error.File, error.Row));
        Assert.StartsWith("l.txt, line 2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_text_line_that_holds_invalid_utf8()
    {
        var text = _dir.WriteBytes("t.txt", [.. "fine\nalso fine\nbroken "u8.ToArray(), 0xE2, 0x82, .. "\n"u8.ToArray()]);
        var labels = _dir.Write("l.txt", "0\n1\n2\n");

        var error = LoadFails(_dir, With(Single("sentiment"), new DataSource { Path = text, LabelsPath = labels, Labels = Sentiment }));

        Assert.Equal(("t.txt", 3), (error.File, error.Row));
    }

    [Fact]
    public void Load_skips_empty_lines_of_the_text_file_and_counts_them()
    {
        var text = _dir.Write("t.txt", "a\n\nb\nc\n");
        var labels = _dir.Write("l.txt", "0\n1\n0\n1\n");

        var set = TrainingDataLoader.Load(With(Single("sentiment"), new DataSource { Path = text, LabelsPath = labels, Labels = Sentiment }) with { MinRowsPerClass = 1 }, _dir.Path);

        Assert.Equal(3, set.Rows.Count);
        Assert.Equal(1, set.Statistics!.EmptyTextSkipped);
    }

    [Fact]
    public void Load_requires_labels_path_when_a_lines_head_reads_the_labels_file()
    {
        var text = _dir.Write("t.txt", "a\n");

        var error = LoadFails(_dir, With(Single("sentiment"), new DataSource { Path = text, Labels = Sentiment }));

        Assert.Contains("labelsPath", error.Message, StringComparison.Ordinal);
    }
}
