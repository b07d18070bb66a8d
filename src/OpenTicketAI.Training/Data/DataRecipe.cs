using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>
/// What to train on: the heads and the files that feed them. Stored as JSON (see docs/recipes.md);
/// relative source paths resolve against the recipe file's directory.
/// </summary>
public sealed record DataRecipe
{
    public const string DefaultTagsHead = "tags";

    public string Name { get; init; } = "default";

    public int Seed { get; init; } = 42;

    /// <summary>Head name → kind; written as "single" or "multi".</summary>
    public IReadOnlyDictionary<string, HeadKind> Heads { get; init; } = new Dictionary<string, HeadKind>();

    public IReadOnlyList<DataSource> Sources { get; init; } = [];

    /// <summary>
    /// Validation rows for early stopping, calibration and thresholds (same heads, same source syntax); when given, no
    /// training row is held out for validation.
    /// </summary>
    public IReadOnlyList<DataSource> Validation { get; init; } = [];

    /// <summary>Drop rows whose (subject, body) already appeared, keeping the first.</summary>
    public bool Deduplicate { get; init; } = true;

    /// <summary>Every class of a single-label head needs at least this many rows.</summary>
    public int MinRowsPerClass { get; init; } = 2;

    /// <summary>Check (or take) a head's language labels against the text with the service's language identifier.</summary>
    public LanguageCheck? LanguageCheck { get; init; }

    /// <summary>Trainer overrides, passed through untouched.</summary>
    public JsonObject? Trainer { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    public static async Task<DataRecipe> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException("recipe file not found", Path.GetFullPath(path));
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(json, path);
    }

    /// <param name="origin">File name used in error messages.</param>
    public static DataRecipe Parse(string json, string origin = "recipe")
    {
        try
        {
            return JsonSerializer.Deserialize<DataRecipe>(json, JsonOptions)
                ?? throw new TrainingDataException("the recipe is JSON null", origin);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? (int)n + 1 : (int?)null;
            throw new TrainingDataException($"not a valid recipe: {ex.Message}", origin, line, unit: RowUnit.Line, innerException: ex);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// This recipe with <see cref="Validation"/> replaced by <paramref name="files"/>, each read with the first source's
    /// columns and label mapping (e.g. <c>otai train --recipe r.json --validation dev.csv</c>).
    /// </summary>
    public DataRecipe WithValidationFiles(IReadOnlyList<string> files)
    {
        if (Sources.Count == 0)
        {
            throw new TrainingDataException("the recipe has no sources to take the validation files' columns from");
        }

        if (Sources[0].LabelsPath is not null)
        {
            throw new TrainingDataException("validation files cannot reuse a 'lines' source with a labels file; list them under \"validation\" in the recipe");
        }

        return this with { Validation = files.Select(f => Sources[0] with { Path = f, Format = Sources[0].Format }).ToArray() };
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(ModelJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectNullableAnnotations = true };
        options.Converters.Add(new RecipeHeadKindConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>One file of training rows.</summary>
public sealed record DataSource
{
    public required string Path { get; init; }

    /// <summary>csv, jsonl or lines; null = from the extension (.csv/.tsv, .jsonl/.ndjson, .txt).</summary>
    public SourceFormat? Format { get; init; }

    /// <summary>lines only: the label file, one label per line, aligned with <see cref="Path"/>.</summary>
    public string? LabelsPath { get; init; }

    /// <summary>Text columns: the first is the subject, the rest are joined as body; a single column is the body. Default subject, body.</summary>
    [JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string>? Text { get; init; }

    /// <summary>Single-label head → where its label comes from.</summary>
    public IReadOnlyDictionary<string, LabelSpec> Labels { get; init; } = new Dictionary<string, LabelSpec>();

    /// <summary>Tag columns (names or globs such as <c>tag_*</c>) or a JSONL field holding an array; feeds <see cref="TagsHead"/>.</summary>
    [JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string>? Tags { get; init; }

    public string TagsHead { get; init; } = DataRecipe.DefaultTagsHead;

    /// <summary>Single-label head → the label every row of this source carries.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>Optional id column, kept on each row.</summary>
    public string? Id { get; init; }

    /// <summary>Optional column with the agent's answer, kept on each row; training ignores it, <c>otai index</c> stores it.</summary>
    public string? Answer { get; init; }

    /// <summary>CSV field delimiter; default "," (tab for .tsv).</summary>
    public string? Delimiter { get; init; }
}

/// <summary>
/// Language labels from the text rather than from a column or a constant: language columns of exported tickets are
/// often wrong (English text labelled <c>de</c>). Codes are written lowercase (ISO 639-1).
/// </summary>
public sealed record LanguageCheck
{
    public string Head { get; init; } = "language";

    public LanguageCheckMode Mode { get; init; } = LanguageCheckMode.Identify;

    /// <summary>The identifier's languages (ISO 639-1); null = the service's default list.</summary>
    public IReadOnlyList<string>? Languages { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<LanguageCheckMode>))]
public enum LanguageCheckMode
{
    /// <summary>Every row's label is the identifier's answer; a row it cannot tell carries no label.</summary>
    [JsonStringEnumMemberName("identify")]
    Identify,

    /// <summary>A given label is kept unless the identifier names another language; then the row carries no label.</summary>
    [JsonStringEnumMemberName("flag")]
    Flag,
}

[JsonConverter(typeof(JsonStringEnumConverter<SourceFormat>))]
public enum SourceFormat
{
    [JsonStringEnumMemberName("csv")]
    Csv,

    [JsonStringEnumMemberName("jsonl")]
    Jsonl,

    [JsonStringEnumMemberName("lines")]
    Lines,
}

/// <summary>Where a single-label head's label comes from: a column (JSON shorthand: just the column name) and an optional value map.</summary>
[JsonConverter(typeof(LabelSpecConverter))]
public sealed record LabelSpec
{
    /// <summary>Column or field; null = the head's name (csv/jsonl) or the labels file (lines).</summary>
    public string? Column { get; init; }

    /// <summary>Raw value (trimmed) → label. A value mapped to "" leaves the row without this head.</summary>
    public IReadOnlyDictionary<string, string>? Map { get; init; }

    public UnmappedLabels Unmapped { get; init; } = UnmappedLabels.Error;

    public static LabelSpec FromColumn(string column) => new() { Column = column };
}

/// <summary>What to do with a value the label map lacks.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnmappedLabels>))]
public enum UnmappedLabels
{
    /// <summary>Stop with an error naming file, row and column.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>Use the raw value as the label.</summary>
    [JsonStringEnumMemberName("keep")]
    Keep,

    /// <summary>The row does not carry this head (it still trains the others).</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}

/// <summary>Reads "single"/"multi" (or SingleLabel/MultiLabel); writes "single"/"multi".</summary>
internal sealed class RecipeHeadKindConverter : JsonConverter<HeadKind>
{
    public override HeadKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text?.ToUpperInvariant() switch
        {
            "SINGLE" or "SINGLELABEL" => HeadKind.SingleLabel,
            "MULTI" or "MULTILABEL" => HeadKind.MultiLabel,
            _ => throw new JsonException($"a head kind is \"single\" or \"multi\", not {(text is null ? reader.TokenType.ToString() : $"\"{text}\"")}."),
        };
    }

    public override void Write(Utf8JsonWriter writer, HeadKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value == HeadKind.MultiLabel ? "multi" : "single");
}

/// <summary>Accepts "a" or ["a", "b"].</summary>
internal sealed class StringOrListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => [reader.GetString()!],
            JsonTokenType.StartArray => JsonSerializer.Deserialize<List<string>>(ref reader, options),
            _ => throw new JsonException($"expected a string or an array of strings, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }

        JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}

/// <summary>Accepts "column" or { "column", "map", "unmapped" }.</summary>
internal sealed class LabelSpecConverter : JsonConverter<LabelSpec>
{
    public override LabelSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return LabelSpec.FromColumn(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a label is a column name or an object with column/map/unmapped, found {reader.TokenType}.");
        }

        var body = JsonSerializer.Deserialize<LabelSpecBody>(ref reader, options)!;
        return new LabelSpec { Column = body.Column, Map = body.Map, Unmapped = body.Unmapped };
    }

    public override void Write(Utf8JsonWriter writer, LabelSpec value, JsonSerializerOptions options)
    {
        if (value.Column is not null && value.Map is null && value.Unmapped == UnmappedLabels.Error)
        {
            writer.WriteStringValue(value.Column);
            return;
        }

        JsonSerializer.Serialize(writer, new LabelSpecBody(value.Column, value.Map?.ToDictionary(), value.Unmapped), options);
    }

    private sealed record LabelSpecBody(string? Column, Dictionary<string, string>? Map, UnmappedLabels Unmapped = UnmappedLabels.Error);
}
