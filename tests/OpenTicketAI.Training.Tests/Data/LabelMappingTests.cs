using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class LabelMappingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_maps_trimmed_label_values_through_the_map()
    {
        var set = Load(UnmappedLabels.Error, "low", " high ", "low", "high");

        Assert.Equal(["Low", "High", "Low", "High"], set.Rows.Select(r => r.Labels["priority"]));
    }

    [Fact]
    public void Load_names_file_row_and_column_when_a_value_is_not_in_the_map()
    {
        var error = Assert.Throws<TrainingDataException>(() => Load(UnmappedLabels.Error, "low", "urgent", "low"));

        Assert.Equal(("t.csv", 3, "prio"), (error.File, error.Row, error.Column));
        Assert.StartsWith("t.csv, row 3, column 'prio': value 'urgent' of head 'priority'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_keeps_the_raw_value_when_unmapped_is_keep()
    {
        var set = Load(UnmappedLabels.Keep, "low", "urgent", "urgent", "low");

        Assert.Equal(["Low", "urgent", "urgent", "Low"], set.Rows.Select(r => r.Labels["priority"]));
    }

    [Fact]
    public void Load_keeps_the_row_without_the_head_when_unmapped_is_skip()
    {
        var set = Load(UnmappedLabels.Skip, "low", "urgent", "low");

        Assert.Equal(3, set.Rows.Count);
        Assert.False(set.Rows[1].Labels.ContainsKey("priority"));
        Assert.Equal(1, set.Statistics!.Sources[0].UnmappedLabelsSkipped);
    }

    [Fact]
    public void Load_leaves_the_head_off_a_row_whose_value_maps_to_empty()
    {
        var set = Load(UnmappedLabels.Error, "low", "n/a", "low");

        Assert.False(set.Rows[1].Labels.ContainsKey("priority"));
    }

    private TrainingSet Load(UnmappedLabels unmapped, params string[] priorities)
    {
        var csv = "subject,body,prio\n" + string.Concat(priorities.Select((p, i) => $"s{i},b{i},{p}\n"));
        var file = _dir.Write("t.csv", csv);
        var spec = new LabelSpec
        {
            Column = "prio",
            Map = new Dictionary<string, string> { ["low"] = "Low", ["high"] = "High", ["n/a"] = "" },
            Unmapped = unmapped,
        };
        return TrainingDataLoader.Load(With(Single("priority"), new DataSource { Path = file, Labels = new Dictionary<string, LabelSpec> { ["priority"] = spec } }), _dir.Path);
    }
}
