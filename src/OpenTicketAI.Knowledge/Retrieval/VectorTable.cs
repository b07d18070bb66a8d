using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>
/// Unit-length embeddings as float16 in one contiguous array (2 bytes per dimension: 768 B per 384-d document), searched
/// exactly: each row is widened to float32 and dotted with the query by TensorPrimitives (SIMD). Rows are slots that a
/// collection reuses after deletes. Room grows by doubling; a collection loaded from disk asks for exactly its size.
/// Not thread-safe; the collection guards it.
/// </summary>
public sealed class VectorTable(int dimension, int capacity = 1024)
{
    private Half[] _rows = new Half[dimension * Math.Max(1, capacity)];
    private bool[] _present = new bool[Math.Max(1, capacity)];

    public int Dimension { get; } = dimension;

    /// <summary>Rows the table has room for before it grows.</summary>
    public int Capacity => _present.Length;

    public bool Has(int slot) => slot < _present.Length && _present[slot];

    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        Grow(slot + 1);
        TensorPrimitives.ConvertToHalf(vector, _rows.AsSpan(slot * Dimension, Dimension));
        _present[slot] = true;
    }

    public void Set(int slot, ReadOnlySpan<byte> halfBytes)
    {
        Grow(slot + 1);
        MemoryMarshal.Cast<byte, Half>(halfBytes).CopyTo(_rows.AsSpan(slot * Dimension, Dimension));
        _present[slot] = true;
    }

    public void Clear(int slot)
    {
        if (slot < _present.Length)
        {
            _present[slot] = false;
        }
    }

    public ReadOnlySpan<byte> Bytes(int slot) => MemoryMarshal.AsBytes(_rows.AsSpan(slot * Dimension, Dimension));

    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        var halves = new Half[vector.Length];
        TensorPrimitives.ConvertToHalf(vector, halves);
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    /// <summary>Cosine of two stored rows (both unit length).</summary>
    public float Cosine(int a, int b, Span<float> scratch)
    {
        var left = scratch[..Dimension];
        var right = scratch.Slice(Dimension, Dimension);
        TensorPrimitives.ConvertToSingle(_rows.AsSpan(a * Dimension, Dimension), left);
        TensorPrimitives.ConvertToSingle(_rows.AsSpan(b * Dimension, Dimension), right);
        return TensorPrimitives.Dot(left, right);
    }

    public float Cosine(ReadOnlySpan<float> query, int slot, Span<float> scratch)
    {
        var row = scratch[..Dimension];
        TensorPrimitives.ConvertToSingle(_rows.AsSpan(slot * Dimension, Dimension), row);
        return TensorPrimitives.Dot(query, row);
    }

    /// <summary>The <paramref name="count"/> best slots among <paramref name="slots"/> that pass <paramref name="accept"/>, best first.</summary>
    public List<(int Slot, float Cosine)> Nearest(ReadOnlySpan<float> query, int slots, int count, Func<int, bool> accept)
    {
        const int Block = 64;
        var heap = new PriorityQueue<int, float>(count + 1);
        var widened = new float[Block * Dimension];
        for (var start = 0; start < slots; start += Block)
        {
            var end = Math.Min(slots, start + Block);
            TensorPrimitives.ConvertToSingle(_rows.AsSpan(start * Dimension, (end - start) * Dimension), widened.AsSpan(0, (end - start) * Dimension));
            for (var slot = start; slot < end; slot++)
            {
                if (!_present[slot] || !accept(slot))
                {
                    continue;
                }

                var cosine = TensorPrimitives.Dot(query, widened.AsSpan((slot - start) * Dimension, Dimension));
                if (heap.Count < count)
                {
                    heap.Enqueue(slot, cosine);
                }
                else if (heap.TryPeek(out _, out var worst) && cosine > worst)
                {
                    heap.EnqueueDequeue(slot, cosine);
                }
            }
        }

        var result = new List<(int, float)>(heap.Count);
        while (heap.TryDequeue(out var slot, out var cosine))
        {
            result.Add((slot, cosine));
        }

        result.Reverse();
        return result;
    }

    private void Grow(int slots)
    {
        if (slots <= _present.Length)
        {
            return;
        }

        var capacity = Math.Max(slots, _present.Length * 2);
        Array.Resize(ref _present, capacity);
        Array.Resize(ref _rows, capacity * Dimension);
    }
}
