using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>
/// Unit-length embeddings held as int8 with one float scale per row and their signs (384 + 4 + 48 B per 384-d document),
/// searched by integer dot products: the query is quantised the same way, so a cosine is
/// <c>scaleQuery × scaleRow × Σ qᵢrᵢ</c>, within about 0.001 of the float cosine. Collections store float16 on disk; the
/// table quantises on load. Rows are slots that a collection reuses after deletes. Room grows by doubling; a collection
/// loaded from disk asks for exactly its size.
/// Large tables are searched in two passes (<see cref="SignPassAbove"/>): every row's signs, one bit per dimension, by
/// Hamming distance, then the closest rows by their int8 cosines. Not thread-safe; the collection guards it.
/// </summary>
public sealed class VectorTable(int dimension, int capacity = 1024)
{
    /// <summary>Rows rescored by their int8 cosines per row asked for, after the pass over the signs.</summary>
    public const int SignPassDepth = 20;

    /// <summary>
    /// Where the exact scan (about 7 ms at 100,000 rows on 2 cores, with ~15 ms of query encoding) would take the search
    /// past its 25 ms budget. At 100,000 rows the two passes returned 99.2 % of the exact 100 candidates and 99.9 % of
    /// the exact 10 (docs/benchmarks.md).
    /// </summary>
    public const int DefaultSignPassAbove = 100_000;

    private readonly int _words = (dimension + 63) / 64;
    private sbyte[] _rows = new sbyte[dimension * Math.Max(1, capacity)];
    private ulong[] _signs = new ulong[(dimension + 63) / 64 * Math.Max(1, capacity)];
    private float[] _scales = new float[Math.Max(1, capacity)];
    private bool[] _present = new bool[Math.Max(1, capacity)];

    public int Dimension { get; } = dimension;

    /// <summary>
    /// From this many rows on, <see cref="Nearest"/> reads the rows' signs first (48 B a row at 384 dimensions instead
    /// of 384 B) and rescores only the <see cref="SignPassDepth"/> × count closest: the exact scan is bound by memory
    /// bandwidth.
    /// </summary>
    public int SignPassAbove { get; init; } = DefaultSignPassAbove;

    /// <summary>Rows the table has room for before it grows.</summary>
    public int Capacity => _present.Length;

    public bool Has(int slot) => slot < _present.Length && _present[slot];

    /// <summary>Stores <paramref name="vector"/> as it will read back after a restart: rounded to float16 first.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector) => Set(slot, ToBytes(vector));

    public void Set(int slot, ReadOnlySpan<byte> halfBytes)
    {
        var vector = new float[Dimension];
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(halfBytes), vector);
        Grow(slot + 1);
        _scales[slot] = Quantize(vector, _rows.AsSpan(slot * Dimension, Dimension));
        SignsOf(vector, _signs.AsSpan(slot * _words, _words));
        _present[slot] = true;
    }

    public void Clear(int slot)
    {
        if (slot < _present.Length)
        {
            _present[slot] = false;
        }
    }

    /// <summary>A stored row, dequantised.</summary>
    public float[] Row(int slot)
    {
        var vector = new float[Dimension];
        TensorPrimitives.ConvertChecked<sbyte, float>(_rows.AsSpan(slot * Dimension, Dimension), vector);
        TensorPrimitives.Multiply(vector, _scales[slot], vector);
        return vector;
    }

    /// <summary>The float16 bytes a collection stores for <paramref name="vector"/>.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        var halves = new Half[vector.Length];
        TensorPrimitives.ConvertToHalf(vector, halves);
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    /// <summary>A query quantised for <see cref="Cosine(QuantizedVector, int)"/> and <see cref="Nearest"/>.</summary>
    public QuantizedVector Quantize(ReadOnlySpan<float> query)
    {
        var values = new sbyte[Dimension];
        var signs = new ulong[_words];
        SignsOf(query, signs);
        return new QuantizedVector(values, Quantize(query, values), signs);
    }

    /// <summary>Cosine of two stored rows (both unit length).</summary>
    public float Cosine(int a, int b) =>
        _scales[a] * _scales[b] * Dot(_rows.AsSpan(a * Dimension, Dimension), _rows.AsSpan(b * Dimension, Dimension));

    public float Cosine(QuantizedVector query, int slot) =>
        query.Scale * _scales[slot] * Dot(query.Values, _rows.AsSpan(slot * Dimension, Dimension));

    /// <summary>
    /// The <paramref name="count"/> best slots among <paramref name="slots"/> that pass <paramref name="accept"/> (null
    /// accepts every row), best first; from <see cref="SignPassAbove"/> rows on, the best of those whose signs are closest.
    /// </summary>
    public List<(int Slot, float Cosine)> Nearest(QuantizedVector query, int slots, int count, Func<int, bool>? accept)
    {
        var heap = new PriorityQueue<int, float>(count + 1);
        if (slots >= SignPassAbove)
        {
            NearestBySigns(query, slots, count, accept, heap);
        }
        else
        {
            for (var slot = 0; slot < slots; slot++)
            {
                if (_present[slot] && (accept is null || accept(slot)))
                {
                    Keep(heap, slot, Cosine(query, slot), count);
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

    /// <summary>
    /// The first pass counts how many rows lie at each Hamming distance, so the cut-off that keeps about
    /// <see cref="SignPassDepth"/> × <paramref name="count"/> rows is found without sorting them.
    /// </summary>
    private void NearestBySigns(QuantizedVector query, int slots, int count, Func<int, bool>? accept, PriorityQueue<int, float> heap)
    {
        var distances = ArrayPool<ushort>.Shared.Rent(slots);
        try
        {
            var histogram = new int[Dimension + 2];
            for (var slot = 0; slot < slots; slot++)
            {
                var distance = _present[slot] && (accept is null || accept(slot)) ? Hamming(query.Signs, _signs, slot * _words) : Dimension + 1;
                distances[slot] = (ushort)distance;
                histogram[distance]++;
            }

            var depth = count * SignPassDepth;
            var cutoff = 0;
            for (var kept = histogram[0]; kept < depth && cutoff < Dimension; kept += histogram[++cutoff])
            {
            }

            for (var slot = 0; slot < slots; slot++)
            {
                if (distances[slot] <= cutoff)
                {
                    Keep(heap, slot, Cosine(query, slot), count);
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(distances);
        }
    }

    private static int Hamming(ulong[] query, ulong[] rows, int offset)
    {
        var distance = 0;
        for (var i = 0; i < query.Length; i++)
        {
            distance += BitOperations.PopCount(query[i] ^ rows[offset + i]);
        }

        return distance;
    }

    private static void SignsOf(ReadOnlySpan<float> vector, Span<ulong> signs)
    {
        signs.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                signs[i / 64] |= 1UL << (i % 64);
            }
        }
    }

    private static void Keep(PriorityQueue<int, float> heap, int slot, float cosine, int count)
    {
        if (heap.Count < count)
        {
            heap.Enqueue(slot, cosine);
        }
        else if (heap.TryPeek(out _, out var worst) && cosine > worst)
        {
            heap.EnqueueDequeue(slot, cosine);
        }
    }

    private static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> values)
    {
        var largest = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        var scale = largest > 0 ? largest / sbyte.MaxValue : 1f;
        for (var i = 0; i < vector.Length; i++)
        {
            values[i] = (sbyte)Math.Round(vector[i] / scale);
        }

        return scale;
    }

    /// <summary>Σ aᵢbᵢ of two int8 rows; products of ±127 cannot overflow the 32-bit sums at any embedding size in use.</summary>
    private static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        var sum = 0;
        var i = 0;
        if (Avx2.IsSupported)
        {
            var sums = Vector256<int>.Zero;
            for (; i <= a.Length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
            {
                var x = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref left, (nuint)i));
                var y = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref right, (nuint)i));
                sums = Avx2.Add(sums, Avx2.MultiplyAddAdjacent(x, y));
            }

            sum = Vector256.Sum(sums);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var sums = Vector128<int>.Zero;
            for (; i <= a.Length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
            {
                var (xLow, xHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref left, (nuint)i));
                var (yLow, yHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref right, (nuint)i));
                var (p0, p1) = Vector128.Widen(xLow * yLow);
                var (p2, p3) = Vector128.Widen(xHigh * yHigh);
                sums += p0 + p1 + p2 + p3;
            }

            sum = Vector128.Sum(sums);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private void Grow(int slots)
    {
        if (slots <= _present.Length)
        {
            return;
        }

        var capacity = Math.Max(slots, _present.Length * 2);
        Array.Resize(ref _present, capacity);
        Array.Resize(ref _scales, capacity);
        Array.Resize(ref _signs, capacity * _words);
        Array.Resize(ref _rows, capacity * Dimension);
    }
}
