using System.Text.Json;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>A benchmark with named splits, each a list of rows carrying the <see cref="IntentDatasets.Head"/> head.</summary>
public sealed record IntentDataset(string Name, string License, IReadOnlyDictionary<string, IReadOnlyList<LabeledTicket>> Splits, IReadOnlyList<SourceSummary> Sources)
{
    /// <summary>The rows of the named splits, in the order given.</summary>
    public IReadOnlyList<LabeledTicket> Rows(params string[] splits) =>
        splits.SelectMany(s => Splits.TryGetValue(s, out var rows)
            ? rows
            : throw new ArgumentException($"{Name} has no split '{s}' (splits: {string.Join(", ", Splits.Keys)}).", nameof(splits))).ToArray();

    public TrainingSet ToTrainingSet(params string[] splits) =>
        new(Rows(splits), [new HeadDefinition(IntentDatasets.Head, HeadKind.SingleLabel)], Sources);
}

/// <summary>Readers for the intent benchmarks (CLINC150, Bitext) used to compare the trainer with published results.</summary>
public static class IntentDatasets
{
    public const string Head = "intent";

    /// <summary>The label of CLINC150's out-of-scope rows.</summary>
    public const string OutOfScope = "oos";

    private static readonly string[] ClincSplits = ["train", "val", "test", "oos_train", "oos_val", "oos_test"];
    private static readonly string[] BitextSplits = ["train", "dev", "test"];

    /// <summary>
    /// CLINC150 <c>data_full.json</c> (or its directory): splits train/val/test (in-scope) and oos_train/oos_val/oos_test,
    /// whose rows carry the label <see cref="OutOfScope"/>.
    /// </summary>
    public static IntentDataset LoadClinc150(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "data_full.json");
        }

        var file = SourceFile.Read(path, Path.GetFullPath(path), SourceFormat.Jsonl, ",");
        using var document = ParseJson(file);
        var splits = new Dictionary<string, IReadOnlyList<LabeledTicket>>(StringComparer.Ordinal);
        foreach (var split in ClincSplits)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!document.RootElement.TryGetProperty(split, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new TrainingDataException($"no array '{split}'; CLINC150 data_full.json has {string.Join(", ", ClincSplits)}", path);
            }

            splits[split] = items.EnumerateArray().Select((item, i) => ClincRow(path, split, item, i)).ToArray();
        }

        var rows = splits.Values.Sum(s => s.Count);
        return new IntentDataset("clinc150", "CC BY 3.0", splits, [new SourceSummary(path, file.Sha256, rows)]);
    }

    /// <summary>Bitext customer-service intents: <c>train.csv</c>, <c>dev.csv</c>, <c>test.csv</c> with <c>utterance</c> (the body) and <c>intent</c>.</summary>
    public static IntentDataset LoadBitext(string directory, CancellationToken cancellationToken = default)
    {
        var recipe = new DataRecipe
        {
            Name = "bitext",
            Heads = new Dictionary<string, HeadKind> { [Head] = HeadKind.SingleLabel },
            Deduplicate = false,
            MinRowsPerClass = 1,
        };
        var splits = new Dictionary<string, IReadOnlyList<LabeledTicket>>(StringComparer.Ordinal);
        var sources = new List<SourceSummary>();
        foreach (var split in BitextSplits)
        {
            var source = new DataSource
            {
                Path = Path.Combine(directory, split + ".csv"),
                Text = ["utterance"],
                Labels = new Dictionary<string, LabelSpec> { [Head] = LabelSpec.FromColumn("intent") },
            };
            var set = TrainingDataLoader.Load(recipe with { Sources = [source] }, Environment.CurrentDirectory, cancellationToken);
            splits[split] = set.Rows;
            sources.AddRange(set.Sources);
        }

        return new IntentDataset("bitext", "CDLA-Sharing 1.0", splits, sources);
    }

    private static JsonDocument ParseJson(SourceFile file)
    {
        try
        {
            return JsonDocument.Parse(file.Text);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? (int)n + 1 : (int?)null;
            throw new TrainingDataException($"not valid JSON: {ex.Message}", file.DisplayPath, line, unit: RowUnit.Line, innerException: ex);
        }
    }

    private static LabeledTicket ClincRow(string path, string split, JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
            || item[0].ValueKind != JsonValueKind.String || item[1].ValueKind != JsonValueKind.String)
        {
            throw new TrainingDataException($"{split}[{index}] is not a [text, intent] pair of strings", path);
        }

        var intent = split.StartsWith("oos", StringComparison.Ordinal) ? OutOfScope : item[1].GetString()!;
        return new LabeledTicket(
            TicketText.FromBody(item[0].GetString()!),
            new Dictionary<string, string> { [Head] = intent },
            new Dictionary<string, IReadOnlyList<string>>())
        {
            Origin = $"{path}:{split}[{index}]",
        };
    }
}
