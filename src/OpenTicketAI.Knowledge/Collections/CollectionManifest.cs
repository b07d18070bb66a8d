using System.Text.Json;
using System.Text.Json.Serialization;
using OpenTicketAI.Knowledge.Retrieval;

namespace OpenTicketAI.Knowledge.Collections;

/// <summary>
/// <c>collection.json</c> of one generation: what the collection holds, the encoder its vectors came from (kind, SHA-256
/// and dimension; null for a lexical-only collection), the languages that encoder knows (others are searched lexically;
/// empty = all) and the fusion settings tuned for it.
/// </summary>
public sealed record CollectionManifest
{
    public const string FileName = "collection.json";

    public CollectionKind Kind { get; init; } = CollectionKind.Tickets;

    /// <summary>The encoder's kind (<c>minilm</c>, <c>minilm-int8</c> or <c>onnx</c>); null in collections written before it was recorded.</summary>
    public string? Encoder { get; init; }

    public string? EncoderSha256 { get; init; }

    public int Dimension { get; init; }

    public IReadOnlyList<string> EncoderLanguages { get; init; } = [];

    public FusionSettings Fusion { get; init; } = new();

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Knows(string? language) =>
        EncoderSha256 is not null && (language is null || EncoderLanguages.Count == 0 || EncoderLanguages.Contains(Primary(language), StringComparer.Ordinal));

    /// <summary>Whether two manifests say the same (records compare their lists by reference).</summary>
    public static bool SameJson(CollectionManifest a, CollectionManifest b) =>
        JsonSerializer.Serialize(a, JsonOptions) == JsonSerializer.Serialize(b, JsonOptions);

    public static string Primary(string language) => language.Split('-', '_')[0].Trim().ToLowerInvariant();

    public static CollectionManifest Read(string path) =>
        JsonSerializer.Deserialize<CollectionManifest>(File.ReadAllText(path), JsonOptions)
        ?? throw new KnowledgeException($"{path}: empty collection manifest.");

    /// <summary>Written to a temporary file and renamed, so a crash leaves the old or the new manifest, never half of one.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
}

/// <summary>A collection or input the user can fix (an <see cref="InvalidOperationException"/>, so the CLI reports it as bad input).</summary>
public class KnowledgeException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>Another process held the collection's write lock for longer than a write waits; the write changed nothing.</summary>
public sealed class KnowledgeBusyException(string message, Exception? inner = null) : KnowledgeException(message, inner);

internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
