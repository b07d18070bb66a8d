using System.Text.Json;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Inference;

/// <summary>The files of one model on disk: <c>model.json</c>, the graph it names, and the encoder files, if any.</summary>
public static class ModelDirectory
{
    public const string ManifestFile = "model.json";

    public static bool LooksLikeModel(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    public static ModelManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"{path}: file not found; a model directory needs {ManifestFile} and the graph it names.");
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), ModelJson.Options);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{path}: invalid manifest at {ex.Path ?? "$"} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new ModelLoadException($"{path}: the manifest is empty.");
        }

        Validate(manifest, path);
        return manifest;
    }

    private static void Validate(ModelManifest manifest, string path)
    {
        if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
        {
            throw new ModelLoadException($"{path}: formatVersion {manifest.FormatVersion} is not supported (this build reads {ModelManifest.CurrentFormatVersion}).");
        }

        if (manifest.Heads.Count == 0)
        {
            throw new ModelLoadException($"{path}: heads is empty; a model needs at least one head.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in manifest.Heads)
        {
            if (!names.Add(head.Name))
            {
                throw new ModelLoadException($"{path}: head '{head.Name}' is declared twice.");
            }

            if (head.Labels.Count == 0)
            {
                throw new ModelLoadException($"{path}: head '{head.Name}' has no labels.");
            }

            if (head.Kind == HeadKind.MultiLabel && head.Thresholds is { } t && t.Count != head.Labels.Count)
            {
                throw new ModelLoadException($"{path}: head '{head.Name}' has {head.Labels.Count} labels but {t.Count} thresholds.");
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        RequireInside(directory, "graph.file", manifest.Graph.File, path);
        if (manifest.Encoder is { Kind: SentenceEncoder.OnnxKind } encoder)
        {
            RequireInside(directory, "encoder.modelFile", encoder.ModelFile, path);
            RequireInside(directory, "encoder.vocabFile", encoder.VocabFile, path);
        }

        if (manifest.Encoder is not null && manifest.Graph.EmbeddingInput is null)
        {
            throw new ModelLoadException($"{path}: an encoder is declared but graph.embeddingInput is not set.");
        }

        if (manifest.Encoder is null && manifest.Graph.EmbeddingInput is not null)
        {
            throw new ModelLoadException($"{path}: graph.embeddingInput '{manifest.Graph.EmbeddingInput}' is set but no encoder is declared to feed it.");
        }

        if (manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer && manifest.Encoder is null)
        {
            throw new ModelLoadException($"{path}: featurizer.kind is '{FeaturizerSettings.NoFeaturizer}' and no encoder is declared; the model would have no input.");
        }

        if (manifest.Featurizer.Kind is not (FeaturizerSettings.HashedNgrams or FeaturizerSettings.NoFeaturizer))
        {
            throw new ModelLoadException($"{path}: featurizer.kind '{manifest.Featurizer.Kind}' is not supported (supported: {FeaturizerSettings.HashedNgrams}, {FeaturizerSettings.NoFeaturizer}).");
        }
    }

    /// <summary>A file the manifest names must lie inside the model directory: a model copied in cannot make the service read other files.</summary>
    private static void RequireInside(string directory, string field, string file, string path)
    {
        var full = Path.GetFullPath(Path.Combine(directory, file));
        var relative = Path.GetRelativePath(directory, full);
        if (string.IsNullOrWhiteSpace(file) || Path.IsPathRooted(file) || relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new ModelLoadException($"{path}: {field} '{file}' must name a file inside the model directory (a relative path without '..').");
        }
    }
}
