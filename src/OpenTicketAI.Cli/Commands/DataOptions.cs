using System.CommandLine;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Cli.Commands;

/// <summary>The options that say which data to read: a recipe, or files with a column mapping.</summary>
/// <param name="withValidation">Offer --validation (train only).</param>
internal sealed class DataOptions(bool withValidation = false)
{
    public Option<FileInfo?> Recipe { get; } = new("--recipe") { Description = "Recipe JSON naming sources, heads and trainer settings (see docs/recipes.md)." };

    public Option<string[]> Data { get; } = new("--data") { Description = "CSV or JSONL file(s) of labelled tickets.", AllowMultipleArgumentsPerToken = true };

    public Option<string[]> Text { get; } = new("--text") { Description = "Text columns, subject first (default: subject,body)." };

    public Option<string[]> Label { get; } = new("--label") { Description = "A single-label head: 'queue' or 'head=column'. Repeat per head." };

    public Option<string?> Tags { get; } = new("--tags") { Description = "Tag columns for the multi-label 'tags' head, e.g. 'tag_*'." };

    public Option<string?> Format { get; } = new("--format") { Description = "csv or jsonl (default: from the file extension)." };

    public Option<bool> NoDeduplicate { get; } = new("--no-dedup") { Description = "Keep rows whose subject and body repeat." };

    public Option<string[]> Validation { get; } = new("--validation")
    {
        Description = "Validation file(s) with the training files' columns: used for early stopping, calibration and thresholds instead of holding out training rows.",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Recipe);
        command.Options.Add(Data);
        command.Options.Add(Text);
        command.Options.Add(Label);
        command.Options.Add(Tags);
        command.Options.Add(Format);
        command.Options.Add(NoDeduplicate);
        if (withValidation)
        {
            command.Options.Add(Validation);
        }
    }

    /// <summary>True when --recipe or --data names training files.</summary>
    public bool HasFiles(ParseResult parse) => parse.GetValue(Recipe) is not null || (parse.GetValue(Data) ?? []).Length > 0;

    /// <summary>The recipe and the directory its relative paths resolve against.</summary>
    public async Task<(DataRecipe Recipe, string BaseDirectory, string RecipePath)> ReadRecipeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var recipeFile = parse.GetValue(Recipe);
        var files = parse.GetValue(Data) ?? [];
        if (recipeFile is not null)
        {
            if (files.Length > 0)
            {
                throw new TrainingDataException("give either --recipe or --data, not both");
            }

            if (!recipeFile.Exists)
            {
                throw new TrainingDataException($"{recipeFile.FullName}: recipe file not found");
            }

            var recipe = await DataRecipe.LoadAsync(recipeFile.FullName, cancellationToken);
            return (WithValidation(recipe, parse), recipeFile.DirectoryName!, recipeFile.FullName);
        }

        var commandLine = new CommandLineData
        {
            Files = files,
            Text = parse.GetValue(Text) ?? [],
            Labels = parse.GetValue(Label) ?? [],
            Tags = parse.GetValue(Tags),
            Format = parse.GetValue(Format),
            Deduplicate = !parse.GetValue(NoDeduplicate),
        };
        return (WithValidation(commandLine.ToRecipe(), parse), Directory.GetCurrentDirectory(), "command line");
    }

    /// <summary>--validation replaces the recipe's validation sources; its paths are relative to the current directory.</summary>
    private DataRecipe WithValidation(DataRecipe recipe, ParseResult parse) =>
        withValidation && parse.GetValue(Validation) is { Length: > 0 } files ? recipe.WithValidationFiles(files.Select(Path.GetFullPath).ToArray()) : recipe;
}
