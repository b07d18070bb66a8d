using System.Diagnostics;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>Turns a <see cref="DataRecipe"/> into a <see cref="TrainingSet"/>; throws <see cref="TrainingDataException"/> naming what is wrong and where.</summary>
public static class TrainingDataLoader
{
    /// <summary>Loads a recipe file; its relative source paths resolve against the recipe's directory.</summary>
    public static async Task<TrainingSet> LoadAsync(string recipePath, CancellationToken cancellationToken = default)
    {
        var recipe = await DataRecipe.LoadAsync(recipePath, cancellationToken).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(Path.GetFullPath(recipePath))!;
        return await LoadAsync(recipe, directory, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<TrainingSet> LoadAsync(DataRecipe recipe, string baseDirectory, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var plans = Plan(recipe, baseDirectory);
        var files = new List<(SourceFile Text, SourceFile? Labels)>(plans.Count);
        foreach (var plan in plans)
        {
            var text = await SourceFile.ReadAsync(plan.DisplayPath, plan.FullPath, plan.Format, plan.Delimiter, cancellationToken).ConfigureAwait(false);
            var labels = plan.LabelsFullPath is null
                ? null
                : await SourceFile.ReadAsync(plan.LabelsDisplayPath!, plan.LabelsFullPath, SourceFormat.Lines, plan.Delimiter, cancellationToken).ConfigureAwait(false);
            files.Add((text, labels));
        }

        var set = Build(recipe, plans, files, started, cancellationToken);
        return recipe.Validation.Count == 0
            ? set
            : WithValidation(set, recipe, await LoadAsync(ValidationRecipe(recipe), baseDirectory, cancellationToken).ConfigureAwait(false));
    }

    public static TrainingSet Load(DataRecipe recipe, string baseDirectory, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var plans = Plan(recipe, baseDirectory);
        var files = plans
            .Select(p => (
                SourceFile.Read(p.DisplayPath, p.FullPath, p.Format, p.Delimiter),
                p.LabelsFullPath is null ? null : SourceFile.Read(p.LabelsDisplayPath!, p.LabelsFullPath, SourceFormat.Lines, p.Delimiter)))
            .ToList();
        var set = Build(recipe, plans, files, started, cancellationToken);
        return recipe.Validation.Count == 0 ? set : WithValidation(set, recipe, Load(ValidationRecipe(recipe), baseDirectory, cancellationToken));
    }

    /// <summary>The validation sources read as a recipe of their own: same heads, any class count.</summary>
    private static DataRecipe ValidationRecipe(DataRecipe recipe) =>
        recipe with { Sources = recipe.Validation, Validation = [], MinRowsPerClass = 1 };

    /// <summary>With deduplication on, a validation row whose (subject, body) is also a training row is dropped: it would leak.</summary>
    private static TrainingSet WithValidation(TrainingSet set, DataRecipe recipe, TrainingSet validation)
    {
        var training = set.Rows.Select(r => (r.Text.Subject ?? "", r.Text.Body ?? "")).ToHashSet();
        var rows = recipe.Deduplicate
            ? validation.Rows.Where(r => !training.Contains((r.Text.Subject ?? "", r.Text.Body ?? ""))).ToArray()
            : validation.Rows;
        return set with { ValidationRows = rows };
    }

    private static TrainingSet Build(DataRecipe recipe, List<SourcePlan> plans, List<(SourceFile Text, SourceFile? Labels)> files, long started, CancellationToken cancellationToken)
    {
        var rows = new List<LabeledTicket>();
        var seen = new HashSet<(string, string)>();
        var summaries = new List<SourceSummary>();
        var statistics = new List<SourceStatistics>();
        for (var i = 0; i < plans.Count; i++)
        {
            var (plan, (file, labelsFile)) = (plans[i], files[i]);
            var records = plan.Format switch
            {
                SourceFormat.Csv => CsvSourceReader.Read(plan, file, cancellationToken),
                SourceFormat.Jsonl => JsonlSourceReader.Read(plan, file, cancellationToken),
                _ => LinesSourceReader.Read(plan, file, labelsFile, cancellationToken),
            };

            var counts = new SourceCounts();
            foreach (var record in records)
            {
                var ticket = RowMapper.ToTicket(plan, record, counts);
                if (ticket is null)
                {
                    continue;
                }

                if (recipe.Deduplicate && !seen.Add((ticket.Text.Subject ?? "", ticket.Text.Body ?? "")))
                {
                    counts.Duplicates++;
                    continue;
                }

                rows.Add(ticket);
                counts.Kept++;
            }

            summaries.Add(new SourceSummary(plan.DisplayPath, file.Sha256, counts.Kept));
            if (labelsFile is not null)
            {
                summaries.Add(new SourceSummary(labelsFile.DisplayPath, labelsFile.Sha256, counts.Kept));
            }

            statistics.Add(new SourceStatistics(plan.DisplayPath, plan.Format, records.Count, counts.Kept, counts.EmptyText, counts.Duplicates, counts.Unmapped));
        }

        var heads = recipe.Heads.Select(h => new HeadDefinition(h.Key, h.Value)).ToArray();
        var languageCheck = recipe.LanguageCheck is { } check ? LanguageLabels.Apply(check, rows, cancellationToken) : null;
        CheckLabelCounts(heads, rows, recipe.MinRowsPerClass);
        return new TrainingSet(rows, heads, summaries)
        {
            Statistics = new LoadStatistics(statistics, Stopwatch.GetElapsedTime(started)),
            LanguageCheck = languageCheck,
        };
    }

    private static List<SourcePlan> Plan(DataRecipe recipe, string baseDirectory)
    {
        if (recipe.Heads.Count == 0)
        {
            throw new TrainingDataException("the recipe declares no heads; add \"heads\": { \"queue\": \"single\", ... }");
        }

        if (recipe.Sources.Count == 0)
        {
            throw new TrainingDataException("the recipe has no sources");
        }

        if (recipe.MinRowsPerClass < 1)
        {
            throw new TrainingDataException($"minRowsPerClass is {recipe.MinRowsPerClass}; it must be at least 1");
        }

        if (recipe.LanguageCheck is { } check && (!recipe.Heads.TryGetValue(check.Head, out var kind) || kind != HeadKind.SingleLabel))
        {
            throw new TrainingDataException($"languageCheck names head '{check.Head}', which is not a single-label head of the recipe");
        }

        if (recipe.LanguageCheck is { } languages && new LanguageOptions { Languages = languages.Languages }.Validate() is { Count: > 0 } errors)
        {
            throw new TrainingDataException($"languageCheck: {string.Join(" ", errors)}");
        }

        var plans = recipe.Sources.Select((s, i) => SourcePlanner.Plan(recipe, s, i, baseDirectory)).ToList();
        var fed = plans.SelectMany(p => p.Labels.Select(l => l.Head).Concat(p.Constants.Keys).Concat(p.TagsHead is null ? [] : [p.TagsHead])).ToHashSet();
        var unfed = recipe.Heads.Keys.Where(h => !fed.Contains(h)).ToArray();
        if (unfed.Length > 0)
        {
            throw new TrainingDataException(
                $"head{(unfed.Length > 1 ? "s" : "")} {string.Join(", ", unfed.Select(h => $"'{h}'"))} declared in heads but no source feeds {(unfed.Length > 1 ? "them" : "it")}; add to a source's labels, constants or tags, or remove from heads");
        }

        return plans;
    }

    private static void CheckLabelCounts(HeadDefinition[] heads, List<LabeledTicket> rows, int minRowsPerClass)
    {
        var problems = new List<string>();
        foreach (var head in heads)
        {
            if (head.Kind == HeadKind.MultiLabel)
            {
                if (!rows.Any(r => r.MultiLabels.TryGetValue(head.Name, out var labels) && labels.Count > 0))
                {
                    problems.Add($"head '{head.Name}': no row has a label (are its cells all empty?)");
                }

                continue;
            }

            var carried = rows.Where(r => r.Labels.ContainsKey(head.Name)).ToArray();
            if (carried.Length == 0)
            {
                problems.Add($"head '{head.Name}': no row carries a label (are its cells all empty?)");
                continue;
            }

            foreach (var group in carried.GroupBy(r => r.Labels[head.Name], StringComparer.Ordinal).Where(g => g.Count() < minRowsPerClass))
            {
                problems.Add($"head '{head.Name}': class '{group.Key}' has {group.Count()} row{(group.Count() == 1 ? "" : "s")} (at {group.First().Origin}), fewer than minRowsPerClass = {minRowsPerClass}");
            }
        }

        if (problems.Count > 0)
        {
            throw new TrainingDataException(
                string.Join("; ", problems) + ". Map rare classes onto others, drop them, or lower minRowsPerClass in the recipe.");
        }
    }
}
