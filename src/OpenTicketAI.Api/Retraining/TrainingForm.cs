using System.Globalization;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// The fields of <c>POST /models/{name}/train</c>: a multipart form (<c>fromFeedback</c> may also be a query value). <see cref="ReadAsync"/>
/// checks every field and reports all mistakes at once, keyed by field name.
/// </summary>
public sealed record TrainingForm
{
    public const int MaxEpochs = 500;

    /// <summary>The training file (CSV or JSONL); null when training only on the feedback store.</summary>
    public IFormFile? File { get; init; }

    public bool FromFeedback { get; init; }

    public int? Epochs { get; init; }

    public int? Seed { get; init; }

    /// <summary><c>csv</c> or <c>jsonl</c>; null: from the file name.</summary>
    public string? Format { get; init; }

    /// <summary>Single-label heads, <c>head</c> or <c>head=column</c>; empty: the active version's single-label heads.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<string> Text { get; init; } = [];

    public string? Tags { get; init; }

    /// <summary>Per head, raw value → label, from <c>labelMap=head:value=label</c> (as a recipe's <c>map</c>; unmapped values are kept as written).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LabelMaps { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Reads and checks the form; either a form or the errors, never both.</summary>
    public static async Task<(TrainingForm? Form, Dictionary<string, string[]> Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IFormCollection form = FormCollection.Empty;
        if (request.HasFormContentType)
        {
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                errors["file"] = [$"The multipart form cannot be read: {ex.Message}"];
                return (null, errors);
            }
        }

        var fromFeedbackText = form["fromFeedback"].FirstOrDefault() ?? request.Query["fromFeedback"].FirstOrDefault();
        var fromFeedback = false;
        if (fromFeedbackText is not null && !bool.TryParse(fromFeedbackText, out fromFeedback))
        {
            errors["fromFeedback"] = [$"'{fromFeedbackText}' is not true or false."];
        }

        var epochs = ReadInt(form, "epochs", 1, MaxEpochs, errors);
        var seed = ReadInt(form, "seed", 0, int.MaxValue, errors);
        var format = form["format"].FirstOrDefault()?.ToLowerInvariant();
        if (format is not null && format is not ("csv" or "jsonl"))
        {
            errors["format"] = [$"'{format}' is not a training file format; use csv or jsonl."];
        }

        var file = form.Files.GetFile("file");
        if (file is null && !fromFeedback && !errors.ContainsKey("fromFeedback"))
        {
            errors["file"] = ["Upload the training data as 'file' (multipart/form-data, CSV or JSONL) and/or set fromFeedback=true."];
        }

        var maps = ReadLabelMaps(form["labelMap"].OfType<string>(), errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new TrainingForm
        {
            File = file,
            FromFeedback = fromFeedback,
            Epochs = epochs,
            Seed = seed,
            Format = format,
            Labels = form["label"].OfType<string>().SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList(),
            Text = form["text"].OfType<string>().ToList(),
            Tags = form["tags"].FirstOrDefault(),
            LabelMaps = maps,
        }, errors);
    }

    /// <summary>The recipe <c>otai train</c> would read for this upload saved as <paramref name="fileName"/>, with the label maps applied.</summary>
    public DataRecipe ToRecipe(string fileName, string format, IReadOnlyList<string> labels)
    {
        var recipe = new CommandLineData { Files = [fileName], Text = Text, Labels = labels, Tags = Tags, Format = format }.ToRecipe();
        return recipe with
        {
            Sources = recipe.Sources.Select(source => source with
            {
                Labels = source.Labels.ToDictionary(
                    l => l.Key,
                    l => LabelMaps.TryGetValue(l.Key, out var map) ? l.Value with { Map = map, Unmapped = UnmappedLabels.Keep } : l.Value,
                    StringComparer.Ordinal),
            }).ToArray(),
        };
    }

    private static int? ReadInt(IFormCollection form, string field, int min, int max, Dictionary<string, string[]> errors)
    {
        var text = form[field].FirstOrDefault();
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[field] = [$"'{text}' is not a whole number between {min} and {max}."];
        return null;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> ReadLabelMaps(IEnumerable<string> entries, Dictionary<string, string[]> errors)
    {
        var maps = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var entry in entries)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var equals = entry.IndexOf('=', colon + 1);
            if (colon <= 0 || equals <= colon + 1 || equals == entry.Length - 1)
            {
                problems.Add($"'{entry}' is not head:value=label (e.g. priority:high=High).");
                continue;
            }

            var head = entry[..colon].Trim();
            var map = maps.TryGetValue(head, out var existing) ? existing : maps[head] = new Dictionary<string, string>(StringComparer.Ordinal);
            map[entry[(colon + 1)..equals].Trim()] = entry[(equals + 1)..].Trim();
        }

        if (problems.Count > 0)
        {
            errors["labelMap"] = [.. problems];
        }

        return maps.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, string>)m.Value, StringComparer.Ordinal);
    }
}
