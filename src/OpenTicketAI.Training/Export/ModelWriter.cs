using OpenTicketAI.Core.Encoders;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Export;

/// <summary>
/// Writes a model directory atomically: every file goes into a hidden staging directory beside the target, the result
/// must load and run with <see cref="TicketClassifier"/>, and only then does it replace the target by renames. On any
/// failure the existing target is left as it was and no staging directory remains.
/// </summary>
public static class ModelWriter
{
    /// <summary>
    /// Exports <paramref name="result"/>'s network and writes it with <paramref name="manifest"/> (default: the result's)
    /// and the result's <see cref="TrainingResult.EncoderFiles"/> (a user's own ONNX encoder is copied into the directory).
    /// </summary>
    /// <param name="extraFiles">Further files by plain file name, e.g. eval.json, eval.html, MODEL_CARD.md, recipe.json.</param>
    public static void Write(TrainingResult result, string targetDirectory, ModelManifest? manifest = null, IReadOnlyDictionary<string, byte[]>? extraFiles = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        manifest ??= result.Manifest;
        var files = result.ReadEncoderFiles();
        foreach (var (fileName, content) in extraFiles ?? new Dictionary<string, byte[]>())
        {
            files[fileName] = content;
        }

        Write(OnnxExporter.Export(result.Network, manifest), targetDirectory, manifest, files);
    }

    /// <summary>Writes an exported graph with its manifest and any <paramref name="extraFiles"/>.</summary>
    /// <param name="encoders">Where the check load gets the model's encoder; null loads it for the check alone.</param>
    public static void Write(byte[] graph, string targetDirectory, ModelManifest manifest, IReadOnlyDictionary<string, byte[]>? extraFiles = null, EncoderCache? encoders = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        ArgumentNullException.ThrowIfNull(manifest);
        extraFiles ??= new Dictionary<string, byte[]>();
        ValidateFileNames(manifest, extraFiles);

        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{targetDirectory}' has no parent directory to stage the model in.", nameof(targetDirectory));
        var name = Path.GetFileName(target);
        if (File.Exists(target))
        {
            throw new ArgumentException($"{target} is a file; the model target must be a directory.", nameof(targetDirectory));
        }

        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{name}.writing-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            WriteFile(Path.Combine(staging, manifest.Graph.File), graph);
            WriteFile(Path.Combine(staging, ModelDirectory.ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, ModelJson.Options));
            foreach (var (fileName, content) in extraFiles)
            {
                WriteFile(Path.Combine(staging, fileName), content);
            }

            Verify(staging, target, encoders);
            Replace(staging, target, Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}"));
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static void ValidateFileNames(ModelManifest manifest, IReadOnlyDictionary<string, byte[]> extraFiles)
    {
        var taken = new HashSet<string>([ModelDirectory.ManifestFile, manifest.Graph.File], StringComparer.OrdinalIgnoreCase);
        if (!IsPlainFileName(manifest.Graph.File) || taken.Count < 2)
        {
            throw new ArgumentException($"graph.file '{manifest.Graph.File}' must be a plain file name other than {ModelDirectory.ManifestFile}.", nameof(manifest));
        }

        foreach (var fileName in extraFiles.Keys)
        {
            if (!IsPlainFileName(fileName) || !taken.Add(fileName))
            {
                throw new ArgumentException($"Extra file '{fileName}' must be a plain, unique file name other than {ModelDirectory.ManifestFile} and {manifest.Graph.File}.", nameof(extraFiles));
            }
        }
    }

    private static bool IsPlainFileName(string fileName) =>
        !string.IsNullOrWhiteSpace(fileName) && fileName != "." && fileName != ".." && Path.GetFileName(fileName) == fileName &&
        fileName.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    private static void WriteFile(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static void Verify(string staging, string target, EncoderCache? encoders)
    {
        try
        {
            using var classifier = TicketClassifier.Load(staging, new ClassifierOptions { Encoders = encoders });
            classifier.Predict(new TicketText("model check", "Verifying that the new model runs."));
        }
        catch (Exception ex) when (ex is ModelLoadException or OnnxRuntimeException)
        {
            throw new ModelLoadException($"{target}: the new model does not load, so the existing directory was left unchanged. {ex.Message}", ex);
        }
    }

    private static void Replace(string staging, string target, string aside)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        Directory.Move(target, aside);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }

        TryDelete(aside);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden directory must not turn a completed write into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
