using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class CommandLineDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ToRecipe_builds_heads_and_one_source_per_file()
    {
        var recipe = new CommandLineData { Files = ["a.csv", "b.csv"], Text = ["subject,body"], Labels = ["queue", "priority"], Tags = "tag_*" }.ToRecipe();

        Assert.Equal(["queue", "priority", "tags"], recipe.Heads.Keys);
        Assert.Equal(HeadKind.MultiLabel, recipe.Heads["tags"]);
        Assert.Equal(["a.csv", "b.csv"], recipe.Sources.Select(s => s.Path));
        Assert.Equal(["subject", "body"], recipe.Sources[0].Text);
        Assert.Equal(["tag_*"], recipe.Sources[0].Tags);
    }

    [Fact]
    public void ToRecipe_reads_head_equals_column()
    {
        var recipe = new CommandLineData { Files = ["a.csv"], Labels = ["priority=prio"], Tags = "t1, t2" }.ToRecipe();

        Assert.Equal("prio", recipe.Sources[0].Labels["priority"].Column);
        Assert.Equal(["t1", "t2"], recipe.Sources[0].Tags);
        Assert.Null(recipe.Sources[0].Text);
    }

    [Fact]
    public void ToRecipe_requires_a_label_or_tags()
    {
        var error = Assert.Throws<TrainingDataException>(() => new CommandLineData { Files = ["a.csv"] }.ToRecipe());

        Assert.Contains("--label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRecipe_rejects_an_unknown_format()
    {
        Assert.Throws<TrainingDataException>(() => new CommandLineData { Files = ["a.csv"], Labels = ["queue"], Format = "xlsx" }.ToRecipe());
    }

    [Fact]
    public void ToRecipe_output_loads_a_csv_file()
    {
        var file = _dir.Write("a.csv", "subject,body,queue,tag_1\nA,a,IT,x\nB,b,IT,\n");

        var set = TrainingDataLoader.Load(new CommandLineData { Files = [file], Labels = ["queue"], Tags = "tag_*" }.ToRecipe(), _dir.Path);

        Assert.Equal(2, set.Rows.Count);
        Assert.Equal(["x"], set.Rows[0].MultiLabels["tags"]);
    }
}
