using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Export;

/// <summary>
/// Reads the weights of a graph written by <see cref="OnnxExporter"/> back into a <see cref="TrainedNetwork"/>, from the
/// current layout or an older one (one linear table per head; float32 embedding tables), so that a model trained before
/// an exporter change can be written again in the current layout without retraining.
/// </summary>
public static class OnnxImporter
{
    public static TrainedNetwork Import(byte[] graph, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(manifest);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(graph);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelLoadException($"{manifest.Graph.File}: not an ONNX model ({ex.Message}).", ex);
        }

        var tensors = new Initializers(model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal), manifest.Graph.File);

        var buckets = manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer ? 0 : manifest.Featurizer.Buckets;
        var hidden = manifest.Graph.HiddenDimension;
        var embeddingDimension = manifest.Graph.EmbeddingInput is null ? 0 : manifest.Graph.EmbeddingDimension;
        var linearHeads = manifest.Heads.Where(h => tensors.Has($"head/{h.Output}/linear/bias")).ToList();
        var sharedTables = buckets > 0 && tensors.Has("linear/table") ? SplitSharedTable(tensors, buckets, linearHeads) : null;

        var heads = manifest.Heads.Select(spec =>
        {
            var prefix = $"head/{spec.Output}";
            var labels = spec.Labels.Count;
            var usesNetwork = tensors.Has($"{prefix}/weights");
            LinearHead? linear = null;
            if (linearHeads.Contains(spec))
            {
                float[] table = buckets == 0 ? [] : sharedTables?[spec.Output] ?? tensors.Floats($"{prefix}/linear/table", buckets * labels);
                float[] encoder = embeddingDimension == 0 ? [] : tensors.Floats($"{prefix}/linear/encoder", embeddingDimension * labels);
                linear = new LinearHead(table, encoder, tensors.Floats($"{prefix}/linear/bias", labels), AddsNetwork: usesNetwork);
            }

            return new HeadWeights(
                spec.Name,
                spec.Kind,
                spec.Output,
                spec.Labels,
                usesNetwork ? tensors.Floats($"{prefix}/weights", hidden * labels) : new float[hidden * labels],
                usesNetwork ? tensors.Floats($"{prefix}/bias", labels) : new float[labels],
                spec.Kind == HeadKind.SingleLabel ? tensors.Floats($"{prefix}/temperature", 1)[0] : 1f,
                linear);
        }).ToArray();

        return new TrainedNetwork(
            buckets,
            hidden,
            buckets == 0 ? [] : tensors.Floats("embedding/table", buckets * hidden),
            tensors.Floats("hidden/bias", hidden),
            heads,
            embeddingDimension,
            embeddingDimension == 0 ? [] : tensors.Floats("encoder/weights", embeddingDimension * hidden),
            linearHeads.Count > 0 && buckets > 0 ? tensors.Floats("linear/idf", buckets) : [],
            tensors.Has("linear/word_buckets") ? (int)tensors.Int64s("linear/word_buckets")[0] : 0);
    }

    /// <summary>The current layout's [buckets, Σ labels] table, one [buckets, labels] table per linear head again.</summary>
    private static Dictionary<string, float[]> SplitSharedTable(Initializers tensors, int buckets, IReadOnlyList<HeadSpec> linearHeads)
    {
        var width = linearHeads.Sum(h => h.Labels.Count);
        var shared = tensors.Floats("linear/table", buckets * width);
        var tables = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var head in linearHeads)
        {
            var labels = head.Labels.Count;
            var table = new float[buckets * labels];
            for (var bucket = 0; bucket < buckets; bucket++)
            {
                shared.AsSpan((bucket * width) + offset, labels).CopyTo(table.AsSpan(bucket * labels, labels));
            }

            tables[head.Output] = table;
            offset += labels;
        }

        return tables;
    }

    private sealed class Initializers(Dictionary<string, TensorProto> byName, string file)
    {
        public bool Has(string name) => byName.ContainsKey(name);

        public float[] Floats(string name, long expected)
        {
            var tensor = Get(name);
            float[] values = (TensorProto.Types.DataType)tensor.DataType switch
            {
                TensorProto.Types.DataType.Float when tensor.RawData.Length > 0 => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray(),
                TensorProto.Types.DataType.Float => tensor.FloatData.ToArray(),
                TensorProto.Types.DataType.Float16 => ToFloats(MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span)),
                var type => throw new ModelLoadException($"{file}: initializer '{name}' is {type}; expected float or float16."),
            };
            return values.Length == expected
                ? values
                : throw new ModelLoadException($"{file}: initializer '{name}' holds {values.Length} values; model.json implies {expected}.");
        }

        public long[] Int64s(string name)
        {
            var tensor = Get(name);
            return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray() : tensor.Int64Data.ToArray();
        }

        private TensorProto Get(string name) =>
            byName.TryGetValue(name, out var tensor)
                ? tensor
                : throw new ModelLoadException($"{file}: initializer '{name}' is missing; the graph was not written by otai's exporter or does not match model.json.");

        private static float[] ToFloats(ReadOnlySpan<Half> halves)
        {
            var values = new float[halves.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)halves[i];
            }

            return values;
        }
    }
}
