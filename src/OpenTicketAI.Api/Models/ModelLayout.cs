using System.Text.Json;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Models;

/// <summary>Which version of a versioned model serves, and which one served before it (the rollback target).</summary>
public sealed record ActiveVersions(string Active, string? Previous, DateTimeOffset ChangedAt);

/// <summary>
/// The two ways a model lives under the models directory. Flat: <c>models/&lt;name&gt;/model.json</c>, one version served as
/// it is. Versioned: <c>models/&lt;name&gt;/&lt;version&gt;/model.json</c> per version plus <c>models/&lt;name&gt;/active.json</c>
/// naming the served one; the pointer wins when both are present.
/// </summary>
public static class ModelLayout
{
    public const string PointerFile = "active.json";

    public static bool IsModel(string root) => IsVersioned(root) || ModelDirectory.LooksLikeModel(root);

    public static bool IsVersioned(string root) => File.Exists(Path.Combine(root, PointerFile));

    /// <summary>The directory whose model serves: the active version's for a versioned model, the root itself for a flat one.</summary>
    public static string ServingDirectory(string root)
    {
        if (!IsVersioned(root))
        {
            return root;
        }

        var pointer = ReadPointer(root);
        return Path.Combine(root, pointer.Active);
    }

    public static ActiveVersions ReadPointer(string root)
    {
        var path = Path.Combine(root, PointerFile);
        ActiveVersions? pointer;
        try
        {
            pointer = JsonSerializer.Deserialize<ActiveVersions>(File.ReadAllText(path), ModelJson.Options);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{path}: invalid version pointer at {ex.Path ?? "$"}: {ex.Message}", ex);
        }

        if (pointer is null || !VersionName.IsValid(pointer.Active) || (pointer.Previous is not null && !VersionName.IsValid(pointer.Previous)))
        {
            throw new ModelLoadException($"{path}: 'active' must name a version directory ({VersionName.Rule})");
        }

        return pointer;
    }

    /// <summary>Replaces the pointer in one rename, so a reader sees the old or the new pointer, never a partial one.</summary>
    public static void WritePointer(string root, ActiveVersions versions)
    {
        var path = Path.Combine(root, PointerFile);
        var staging = Path.Combine(root, $".{PointerFile}.writing-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, versions, ModelJson.Options);
                stream.Flush(flushToDisk: true);
            }

            File.Move(staging, path, overwrite: true);
        }
        catch
        {
            File.Delete(staging);
            throw;
        }
    }

    /// <summary>The version directories of a versioned model: valid names holding a model.json (hidden staging directories are skipped).</summary>
    public static IReadOnlyList<string> VersionDirectories(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Where(d => VersionName.IsValid(Path.GetFileName(d)) && ModelDirectory.LooksLikeModel(d))
                .OrderBy(d => d, StringComparer.Ordinal)
                .ToList()
            : [];
}

/// <summary>A version is named after its directory; the same plain names as models, so no version can point elsewhere (no '/', no '..').</summary>
public static class VersionName
{
    public const string Rule = "A version starts with a letter or digit, followed by up to 63 letters, digits, '.', '_' or '-'.";

    public static bool IsValid(string? version) => ModelName.IsValid(version);
}
