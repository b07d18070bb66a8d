using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>Checks one recipe source against the declared heads and resolves its paths, format and columns.</summary>
internal static class SourcePlanner
{
    private static readonly string[] DefaultTextFields = ["subject", "body"];

    public static SourcePlan Plan(DataRecipe recipe, DataSource source, int index, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(source.Path))
        {
            throw new TrainingDataException($"sources[{index}] has no \"path\"");
        }

        var display = source.Path;
        TrainingDataException Error(string reason) => new(reason, display);

        var format = source.Format ?? FormatFromExtension(source.Path)
            ?? throw Error("cannot tell the format from the extension; set \"format\" to csv, jsonl or lines");
        var isTsv = Path.GetExtension(source.Path).Equals(".tsv", StringComparison.OrdinalIgnoreCase);
        var delimiter = string.IsNullOrEmpty(source.Delimiter) ? (isTsv ? "\t" : ",") : source.Delimiter;

        var textFields = TextFields(source, format, Error);
        var labels = Labels(recipe, source, format, Error);
        var constants = Constants(recipe, source, labels, Error);
        var (tagsHead, tagFields) = Tags(recipe, source, format, Error);

        var readsLabelsFile = labels.Any(l => l.Column is null);
        if (format != SourceFormat.Lines && source.LabelsPath is not null)
        {
            throw Error("\"labelsPath\" applies to lines sources only");
        }

        if (readsLabelsFile && source.LabelsPath is null)
        {
            throw Error($"head '{labels.First(l => l.Column is null).Head}' reads the labels file, but the source has no \"labelsPath\"");
        }

        if (!readsLabelsFile && source.LabelsPath is not null)
        {
            throw Error("\"labelsPath\" is given but no label reads it; add e.g. \"labels\": { \"sentiment\": {} }");
        }

        return new SourcePlan(
            display,
            Path.GetFullPath(source.Path, baseDirectory),
            format,
            delimiter,
            textFields,
            labels,
            constants,
            tagsHead,
            tagFields,
            source.Id,
            source.LabelsPath,
            source.LabelsPath is null ? null : Path.GetFullPath(source.LabelsPath, baseDirectory))
        {
            AnswerField = format == SourceFormat.Lines && source.Answer is not null ? throw Error("lines sources have no columns (\"answer\")") : source.Answer,
        };
    }

    public static SourceFormat? FormatFromExtension(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".CSV" or ".TSV" => SourceFormat.Csv,
        ".JSONL" or ".NDJSON" => SourceFormat.Jsonl,
        ".TXT" => SourceFormat.Lines,
        _ => null,
    };

    private static IReadOnlyList<string> TextFields(DataSource source, SourceFormat format, Func<string, TrainingDataException> error)
    {
        if (format == SourceFormat.Lines)
        {
            return source.Text is null ? [] : throw error("lines sources have no columns (\"text\"); each line is the body");
        }

        var fields = source.Text ?? DefaultTextFields;
        return fields.Count > 0 && fields.All(f => !string.IsNullOrWhiteSpace(f))
            ? fields
            : throw error("\"text\" must name at least one column");
    }

    private static List<LabelPlan> Labels(DataRecipe recipe, DataSource source, SourceFormat format, Func<string, TrainingDataException> error)
    {
        var plans = new List<LabelPlan>();
        foreach (var (head, spec) in source.Labels)
        {
            RequireHead(recipe, head, HeadKind.SingleLabel, "\"labels\"", error);
            if (format == SourceFormat.Lines && spec.Column is not null)
            {
                throw error($"head '{head}': lines sources have no columns; leave out \"column\" to read the labels file");
            }

            plans.Add(new LabelPlan(head, format == SourceFormat.Lines ? null : spec.Column ?? head, spec));
        }

        if (plans.Count(p => p.Column is null) > 1)
        {
            throw error("a lines source has one labels file, so it can feed one head from it; use \"constants\" for the others");
        }

        return plans;
    }

    private static Dictionary<string, string> Constants(DataRecipe recipe, DataSource source, List<LabelPlan> labels, Func<string, TrainingDataException> error)
    {
        foreach (var (head, value) in source.Constants)
        {
            RequireHead(recipe, head, HeadKind.SingleLabel, "\"constants\"", error);
            if (labels.Any(l => l.Head == head))
            {
                throw error($"head '{head}' is both in \"labels\" and in \"constants\"");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw error($"constant of head '{head}' is empty");
            }
        }

        return source.Constants.ToDictionary(StringComparer.Ordinal);
    }

    private static (string? Head, IReadOnlyList<string> Fields) Tags(DataRecipe recipe, DataSource source, SourceFormat format, Func<string, TrainingDataException> error)
    {
        if (source.Tags is null)
        {
            return (null, []);
        }

        if (format == SourceFormat.Lines)
        {
            throw error("lines sources cannot carry tags");
        }

        if (source.Tags.Count == 0 || source.Tags.Any(string.IsNullOrWhiteSpace))
        {
            throw error("\"tags\" must name at least one column, glob or field");
        }

        RequireHead(recipe, source.TagsHead, HeadKind.MultiLabel, "\"tags\"", error);
        return (source.TagsHead, source.Tags);
    }

    private static void RequireHead(DataRecipe recipe, string head, HeadKind kind, string usedIn, Func<string, TrainingDataException> error)
    {
        if (!recipe.Heads.TryGetValue(head, out var declared))
        {
            throw error($"head '{head}' in {usedIn} is not declared in \"heads\" (declared: {string.Join(", ", recipe.Heads.Keys)})");
        }

        if (declared != kind)
        {
            throw error(kind == HeadKind.SingleLabel
                ? $"head '{head}' is multi-label; feed it with \"tags\" (and \"tagsHead\"), not {usedIn}"
                : $"head '{head}' is single-label; \"tags\" feed a multi-label head (set \"tagsHead\" or declare '{head}' as \"multi\")");
        }
    }
}
