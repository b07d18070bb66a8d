using OpenTicketAI.Knowledge.Retrieval;

namespace OpenTicketAI.Knowledge.Tests;

public sealed class VectorTableTests
{
    private const int Dimension = 16;

    [Fact]
    public void A_table_sized_for_its_rows_grows_only_when_one_more_arrives_and_keeps_the_rows()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 3001).Select(_ => Unit(random)).ToArray();
        var table = new VectorTable(Dimension, capacity: 3000);
        for (var slot = 0; slot < 3000; slot++)
        {
            table.Set(slot, rows[slot]);
        }

        Assert.Equal(3000, table.Capacity);

        table.Set(3000, rows[3000]);

        Assert.Equal(6000, table.Capacity);
        foreach (var slot in new[] { 0, 1234, 2999, 3000 })
        {
            var nearest = table.Nearest(table.Quantize(rows[slot]), 3001, 1, _ => true);
            Assert.Equal(slot, nearest[0].Slot);
            Assert.Equal(1f, nearest[0].Cosine, 2);
        }
    }

    [Fact]
    public void Int8_cosines_stay_within_two_thousandths_of_the_float_cosines_and_rows_read_back()
    {
        const int Embedding = 384;
        var random = new Random(11);
        var rows = Enumerable.Range(0, 200).Select(_ => Unit(random, Embedding)).ToArray();
        var table = new VectorTable(Embedding, capacity: rows.Length);
        for (var slot = 0; slot < rows.Length; slot++)
        {
            table.Set(slot, rows[slot]);
        }

        var query = Unit(random, Embedding);
        var quantized = table.Quantize(query);
        for (var slot = 0; slot < rows.Length; slot++)
        {
            Assert.Equal(Dot(query, rows[slot]), table.Cosine(quantized, slot), 0.002f);
            Assert.Equal(Dot(rows[0], rows[slot]), table.Cosine(0, slot), 0.002f);
            Assert.All(table.Row(slot).Zip(rows[slot]), pair => Assert.Equal(pair.Second, pair.First, 0.002f));
        }

        var exactBest = Enumerable.Range(0, rows.Length).MaxBy(slot => Dot(query, rows[slot]));
        Assert.Equal(exactBest, table.Nearest(quantized, rows.Length, 1, _ => true)[0].Slot);
    }

    [Fact]
    public void Nearest_returns_the_same_best_rows_as_a_sorted_pass_and_honours_the_filter()
    {
        var random = new Random(5);
        var rows = 25_000;
        var table = new VectorTable(Dimension, rows);
        for (var slot = 0; slot < rows; slot++)
        {
            table.Set(slot, Unit(random));
        }

        var query = table.Quantize(Unit(random));
        var expected = Enumerable.Range(0, rows).Where(s => s % 3 != 0).OrderByDescending(s => table.Cosine(query, s)).ThenBy(s => s).Take(50).ToList();

        var nearest = table.Nearest(query, rows, 50, s => s % 3 != 0);

        Assert.Equal(expected.Select(s => table.Cosine(query, s)), nearest.Select(n => n.Cosine));
        Assert.All(nearest, n => Assert.NotEqual(0, n.Slot % 3));
    }

    // Ten rows planted near the query among 20,000 random ones: the pass over the signs must keep all of them for the
    // int8 rescoring, in the exact order, and never return a row the filter refuses.
    [Fact]
    public void Two_passes_return_the_rows_closest_to_the_query_in_exact_order_and_honour_the_filter()
    {
        const int Embedding = 128;
        var random = new Random(23);
        var query = Unit(random, Embedding);
        var rows = Enumerable.Range(0, 20_000).Select(_ => Unit(random, Embedding)).ToArray();
        var planted = Enumerable.Range(0, 10).Select(i => 1_000 * i + 7).ToArray();
        foreach (var (slot, i) in planted.Select((slot, i) => (slot, i)))
        {
            rows[slot] = Unit(query.Zip(Unit(random, Embedding), (q, n) => q + (0.4f + 0.1f * i) * n).ToArray());
        }

        var exact = new VectorTable(Embedding, rows.Length) { SignPassAbove = int.MaxValue };
        var twoPasses = new VectorTable(Embedding, rows.Length) { SignPassAbove = 0 };
        for (var slot = 0; slot < rows.Length; slot++)
        {
            exact.Set(slot, rows[slot]);
            twoPasses.Set(slot, rows[slot]);
        }

        var expected = exact.Nearest(exact.Quantize(query), rows.Length, 10, null);
        var nearest = twoPasses.Nearest(twoPasses.Quantize(query), rows.Length, 10, null);
        var filtered = twoPasses.Nearest(twoPasses.Quantize(query), rows.Length, 5, slot => slot % 2000 != 7);

        Assert.Equal(planted.Order(), expected.Select(n => n.Slot).Order());
        Assert.Equal(expected, nearest);
        Assert.Equal(expected.Where(n => n.Slot % 2000 != 7).Take(5), filtered);
    }

    private static float[] Unit(float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return vector.Select(x => x / norm).ToArray();
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b).Sum(p => p.First * p.Second);

    private static float[] Unit(Random random, int dimension = Dimension)
    {
        var vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return vector.Select(x => x / norm).ToArray();
    }
}
