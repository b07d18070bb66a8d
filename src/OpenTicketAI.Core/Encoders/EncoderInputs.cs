using Microsoft.ML.OnnxRuntime;

namespace OpenTicketAI.Core.Encoders;

/// <summary>
/// The inputs of a BERT-style encoder graph (<c>input_ids</c>, optional <c>attention_mask</c> and <c>token_type_ids</c>,
/// int64 or int32), and the tensors that feed it a batch of token sequences padded to the longest.
/// </summary>
public sealed record EncoderInputs(string Ids, string? Mask, string? Types, bool Int32Ids)
{
    /// <summary>Finds the inputs of <paramref name="inputs"/>; refuses a graph with any other input or another id type.</summary>
    public static EncoderInputs Resolve(IReadOnlyDictionary<string, NodeMetadata> inputs, string source)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ids = inputs.Keys.FirstOrDefault(k => k.Contains("input_ids", StringComparison.OrdinalIgnoreCase))
            ?? throw new EncoderException($"{source}: the encoder graph has no input_ids input (inputs: {string.Join(", ", inputs.Keys)}).");
        var mask = inputs.Keys.FirstOrDefault(k => k.Contains("attention_mask", StringComparison.OrdinalIgnoreCase));
        var types = inputs.Keys.FirstOrDefault(k => k.Contains("token_type_ids", StringComparison.OrdinalIgnoreCase));
        var unknown = inputs.Keys.Except(new[] { ids, mask, types }.OfType<string>()).ToArray();
        if (unknown.Length > 0)
        {
            throw new EncoderException($"{source}: the encoder graph has inputs this encoder cannot feed: {string.Join(", ", unknown)} (supported: input_ids, attention_mask, token_type_ids).");
        }

        var int32 = inputs[ids].ElementType == typeof(int);
        if (!int32 && inputs[ids].ElementType != typeof(long))
        {
            throw new EncoderException($"{source}: input '{ids}' is {inputs[ids].ElementType.Name}; int64 or int32 expected.");
        }

        return new EncoderInputs(ids, mask, types, int32);
    }

    /// <summary>The batch padded to its longest sequence (mask 0 on padding); dispose the result after the run.</summary>
    public EncoderFeeds Feed(IReadOnlyList<int[]> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var length = batch.Max(t => t.Length);
        var size = batch.Count * length;
        var ids = new long[size];
        var mask = new long[size];
        for (var b = 0; b < batch.Count; b++)
        {
            for (var t = 0; t < batch[b].Length; t++)
            {
                ids[(b * length) + t] = batch[b][t];
                mask[(b * length) + t] = 1;
            }
        }

        long[] shape = [batch.Count, length];
        var names = new List<string> { Ids };
        var values = new List<OrtValue> { Tensor(ids, shape) };
        if (Mask is not null)
        {
            names.Add(Mask);
            values.Add(Tensor(mask, shape));
        }

        if (Types is not null)
        {
            names.Add(Types);
            values.Add(Tensor(new long[size], shape));
        }

        return new EncoderFeeds(names, values, length);
    }

    private OrtValue Tensor(long[] data, long[] shape) =>
        Int32Ids ? OrtValue.CreateTensorValueFromMemory(data.Select(v => (int)v).ToArray(), shape) : OrtValue.CreateTensorValueFromMemory(data, shape);
}

/// <summary>Input names and tensors for one encoder run; <see cref="Length"/> is the padded sequence length.</summary>
public sealed class EncoderFeeds(IReadOnlyList<string> names, IReadOnlyList<OrtValue> values, int length) : IDisposable
{
    public IReadOnlyList<string> Names { get; } = names;

    public IReadOnlyList<OrtValue> Values { get; } = values;

    public int Length { get; } = length;

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value.Dispose();
        }
    }
}
