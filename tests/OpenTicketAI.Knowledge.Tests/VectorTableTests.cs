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
            var nearest = table.Nearest(rows[slot], 3001, 1, _ => true);
            Assert.Equal(slot, nearest[0].Slot);
            Assert.Equal(1f, nearest[0].Cosine, 2);
        }
    }

    private static float[] Unit(Random random)
    {
        var vector = Enumerable.Range(0, Dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return vector.Select(x => x / norm).ToArray();
    }
}
