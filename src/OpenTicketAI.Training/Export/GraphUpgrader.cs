using Microsoft.ML.OnnxRuntime;
using Onnx;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Export;

/// <summary>What <see cref="GraphUpgrader.Upgrade"/> did: graph nodes before and after, and the largest output difference on the probe rows.</summary>
public sealed record GraphUpgrade(int NodesBefore, int NodesAfter, int ProbeRows, float MaxDifference, bool Written);

/// <summary>
/// Writes a model directory's graph again in <see cref="OnnxExporter"/>'s current layout (same weights, fewer and cheaper
/// nodes), keeping model.json and every other file. The new graph must give the old one's outputs (≤ <see cref="Tolerance"/>)
/// on probe rows before anything is written, and the write is <see cref="ModelWriter"/>'s atomic one.
/// </summary>
public static class GraphUpgrader
{
    public const float Tolerance = 1e-4f;

    private const int RandomProbes = 48;

    private static readonly TicketText[] ProbeTickets =
    [
        new("Cannot log in to the VPN", "Since this morning the VPN client rejects my password. Error 809. Please help!"),
        new("Rechnung doppelt abgebucht", "Guten Tag, die Rechnung 2024-117 wurde zweimal von meinem Konto abgebucht."),
        new("Pedido no recibido", "Hola, mi pedido #5521 no ha llegado todavía. ¿Pueden revisarlo?"),
        new("Demande de remboursement", "Bonjour, je souhaite être remboursé pour la commande annulée."),
        new("", "ok"),
        new("!!!", "1234 5678 — ☺"),
    ];

    public static GraphUpgrade Upgrade(string sourceDirectory, string targetDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        var manifest = ModelDirectory.ReadManifest(sourceDirectory);
        var graphPath = Path.Combine(sourceDirectory, manifest.Graph.File);
        var before = File.ReadAllBytes(graphPath);
        var after = OnnxExporter.Export(OnnxImporter.Import(before, manifest), manifest);

        var (rows, difference) = CompareOutputs(before, after, manifest, graphPath);
        if (!(difference <= Tolerance))
        {
            throw new ModelLoadException($"{graphPath}: the re-exported graph differs from it by up to {difference} on {rows} probe rows (tolerance {Tolerance}); nothing was written.");
        }

        var nodesBefore = ModelProto.Parser.ParseFrom(before).Graph.Node.Count;
        var nodesAfter = ModelProto.Parser.ParseFrom(after).Graph.Node.Count;
        var inPlace = string.Equals(Path.GetFullPath(sourceDirectory).TrimEnd('/'), Path.GetFullPath(targetDirectory).TrimEnd('/'), StringComparison.Ordinal);
        if (inPlace && before.AsSpan().SequenceEqual(after))
        {
            return new GraphUpgrade(nodesBefore, nodesAfter, rows, difference, Written: false);
        }

        ModelWriter.Write(after, targetDirectory, manifest, OtherFiles(sourceDirectory, manifest));
        return new GraphUpgrade(nodesBefore, nodesAfter, rows, difference, Written: true);
    }

    /// <summary>The directory's files besides model.json and the graph (card, reports, recipe, encoder files), by plain name.</summary>
    private static Dictionary<string, byte[]> OtherFiles(string directory, ModelManifest manifest)
    {
        if (Directory.EnumerateDirectories(directory).FirstOrDefault() is { } nested)
        {
            throw new ModelLoadException($"{directory}: holds the directory '{Path.GetFileName(nested)}'; a model directory is flat, so it is not copied, and nothing was written.");
        }

        return Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .Where(name => name is not ModelDirectory.ManifestFile && name != manifest.Graph.File)
            .ToDictionary(name => name!, name => File.ReadAllBytes(Path.Combine(directory, name!)), StringComparer.Ordinal);
    }

    /// <summary>Both graphs on the same probe rows (real tickets featurized, random bags, random embeddings): rows and max |before − after|.</summary>
    private static (int Rows, float MaxDifference) CompareOutputs(byte[] before, byte[] after, ModelManifest manifest, string graphPath)
    {
        var rows = ProbeRows(manifest);
        var random = new Random(29);
        var embeddings = manifest.Graph.EmbeddingInput is null
            ? null
            : Enumerable.Range(0, rows.Count).Select(_ => Enumerable.Range(0, manifest.Graph.EmbeddingDimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()).ToArray();

        float[][] expected, actual;
        try
        {
            expected = Run(before, manifest, rows, embeddings);
            actual = Run(after, manifest, rows, embeddings);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{graphPath}: ONNX Runtime cannot run the graph to compare its outputs ({ex.Message}); nothing was written.", ex);
        }

        var difference = 0f;
        for (var h = 0; h < expected.Length; h++)
        {
            for (var i = 0; i < expected[h].Length; i++)
            {
                difference = MathF.Max(difference, MathF.Abs(expected[h][i] - actual[h][i]));
            }
        }

        return (rows.Count, difference);
    }

    private static List<SparseFeatures> ProbeRows(ModelManifest manifest)
    {
        if (manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer)
        {
            return ProbeTickets.Select(_ => new SparseFeatures([], [])).ToList();
        }

        var featurizer = new HashedNgramFeaturizer(manifest.Featurizer);
        var rows = ProbeTickets.Select(featurizer.Featurize).ToList();
        var random = new Random(17);
        for (var r = 0; r < RandomProbes; r++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 300)).Select(_ => random.Next(manifest.Featurizer.Buckets)).Distinct().Order().ToArray();
            rows.Add(new SparseFeatures(ids, ids.Select(_ => (float)random.NextDouble()).ToArray()));
        }

        return rows;
    }

    private static float[][] Run(byte[] graph, ModelManifest manifest, List<SparseFeatures> rows, float[][]? embeddings)
    {
        var width = Math.Max(1, rows.Max(r => r.Count));
        var ids = new long[rows.Count * width];
        var weights = new float[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < rows[i].Count; j++)
            {
                ids[(i * width) + j] = rows[i].Ids[j];
                weights[(i * width) + j] = rows[i].Weights[j];
            }
        }

        using var session = new InferenceSession(graph);
        var inputs = new Dictionary<string, OrtValue>
        {
            [manifest.Graph.FeatureIdsInput] = OrtValue.CreateTensorValueFromMemory(ids, [rows.Count, width]),
            [manifest.Graph.FeatureWeightsInput] = OrtValue.CreateTensorValueFromMemory(weights, [rows.Count, width]),
        };
        if (embeddings is not null)
        {
            inputs[manifest.Graph.EmbeddingInput!] = OrtValue.CreateTensorValueFromMemory(embeddings.SelectMany(e => e).ToArray(), [rows.Count, manifest.Graph.EmbeddingDimension]);
        }

        try
        {
            using var runOptions = new RunOptions();
            var outputNames = manifest.Heads.Select(h => h.Output).ToArray();
            using var outputs = session.Run(runOptions, inputs, outputNames);
            return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
        }
        finally
        {
            foreach (var value in inputs.Values)
            {
                value.Dispose();
            }
        }
    }
}
