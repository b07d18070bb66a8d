using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class DataRecipeTests : IDisposable
{
    private const string Documented = """
        {
          // comments and trailing commas are allowed
          "name": "default", "seed": 7, "minRowsPerClass": 3,
          "heads": { "queue": "single", "priority": "single", "language": "single", "sentiment": "single", "tags": "multi" },
          "sources": [
            { "path": "tickets/a.csv", "text": ["subject", "body"],
              "labels": { "queue": "queue", "priority": { "column": "priority", "map": { "low": "Low", "high": "High" }, "unmapped": "skip" } },
              "tags": "tag_*", "constants": { "language": "EN" } },
            { "format": "lines", "path": "sentiment/en.txt", "labelsPath": "sentiment/en_labels.txt",
              "labels": { "sentiment": { "map": { "0": "Negative", "1": "Neutral", "2": "Positive" } } }, "constants": { "language": "EN" } },
          ],
          "trainer": { "epochs": 12, "hidden": 256 }
        }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_reads_the_documented_recipe_shape()
    {
        var recipe = DataRecipe.Parse(Documented);

        Assert.Equal((7, 3, true), (recipe.Seed, recipe.MinRowsPerClass, recipe.Deduplicate));
        Assert.Equal(HeadKind.MultiLabel, recipe.Heads["tags"]);
        Assert.Equal(["queue", "priority", "language", "sentiment", "tags"], recipe.Heads.Keys);
        var tickets = recipe.Sources[0];
        Assert.Null(tickets.Format);
        Assert.Equal("queue", tickets.Labels["queue"].Column);
        Assert.Equal("Low", tickets.Labels["priority"].Map!["low"]);
        Assert.Equal(UnmappedLabels.Skip, tickets.Labels["priority"].Unmapped);
        Assert.Equal(["tag_*"], tickets.Tags);
        var sentiment = recipe.Sources[1];
        Assert.Equal(SourceFormat.Lines, sentiment.Format);
        Assert.Null(sentiment.Labels["sentiment"].Column);
        Assert.Equal(12, (int)recipe.Trainer!["epochs"]!);
    }

    [Fact]
    public void ToJson_round_trips_a_recipe()
    {
        var recipe = DataRecipe.Parse(Documented);

        var again = DataRecipe.Parse(recipe.ToJson());

        Assert.Equal(recipe.ToJson(), again.ToJson());
        Assert.Contains("\"tags\": \"multi\"", recipe.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_names_the_file_and_line_of_invalid_json()
    {
        var error = Assert.Throws<TrainingDataException>(() => DataRecipe.Parse("{\n  \"name\": \"x\",\n  \"seed\": \"many\"\n}", "recipe.json"));

        Assert.Equal(("recipe.json", 3), (error.File, error.Row));
    }

    [Fact]
    public void Parse_rejects_an_unknown_head_kind()
    {
        var error = Assert.Throws<TrainingDataException>(() => DataRecipe.Parse("""{ "heads": { "queue": "several" } }""", "recipe.json"));

        Assert.Contains("\"single\" or \"multi\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_a_misspelt_property_instead_of_ignoring_it()
    {
        var error = Assert.Throws<TrainingDataException>(() => DataRecipe.Parse("""
            { "heads": { "queue": "single" },
              "sources": [ { "path": "a.csv", "lables": { "queue": "queue" } } ] }
            """, "recipe.json"));

        Assert.Contains("lables", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Row);
    }

    [Fact]
    public void Parse_rejects_null_where_a_value_is_required()
    {
        var error = Assert.Throws<TrainingDataException>(() => DataRecipe.Parse("""{ "heads": { "queue": "single" }, "sources": [ { "path": "a.csv", "labels": null } ] }""", "recipe.json"));

        Assert.Contains("labels", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LoadAsync_resolves_source_paths_against_the_recipe_directory()
    {
        _dir.Write("data/t.csv", "subject,body,queue\nA,a,IT\nB,b,IT\n");
        _dir.Write("recipes/r.json", """
            { "heads": { "queue": "single" }, "sources": [ { "path": "../data/t.csv", "labels": { "queue": "queue" } } ] }
            """);

        var set = await TrainingDataLoader.LoadAsync(Path.Combine(_dir.Path, "recipes", "r.json"));

        Assert.Equal(2, set.Rows.Count);
        Assert.Equal("../data/t.csv", set.Sources[0].Path);
    }

    [Fact]
    public async Task LoadAsync_names_a_missing_recipe_file()
    {
        var error = await Assert.ThrowsAsync<TrainingDataException>(() => DataRecipe.LoadAsync(Path.Combine(_dir.Path, "none.json")));

        Assert.Contains("none.json", error.Message, StringComparison.Ordinal);
    }
}
