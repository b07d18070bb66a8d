using OpenTicketAI.Training.FineTuning;

namespace OpenTicketAI.Training.Tests.FineTuning;

public sealed class TransformerLayerTests
{
    private const int Dimension = 8;
    private const int Intermediate = 16;
    private const int Heads = 2;
    private const int Tokens = 3;

    [Fact]
    public void Backward_matches_finite_differences_for_every_weight_tensor_and_the_input()
    {
        var random = new Random(7);
        var weights = RandomWeights(random);
        var layer = new TransformerLayer(weights);
        var input = Values(random, Tokens * Dimension, 1f);
        var projection = Values(random, Tokens * Dimension, 1f);
        var gradients = weights.Zeros();

        var inputGradient = layer.Backward(layer.Forward(input, Tokens), projection, gradients);

        for (var tensor = 0; tensor < TransformerLayerWeights.Count; tensor++)
        {
            foreach (var index in new[] { 0, weights.Tensors[tensor].Length / 2, weights.Tensors[tensor].Length - 1 })
            {
                var numeric = NumericGradient(weights.Tensors[tensor], index, () => Loss(layer, input, projection));
                AssertClose(numeric, gradients.Tensors[tensor][index], $"tensor {tensor}[{index}]");
            }
        }

        for (var index = 0; index < input.Length; index += 5)
        {
            var numeric = NumericGradient(input, index, () => Loss(layer, input, projection));
            AssertClose(numeric, inputGradient[index], $"input[{index}]");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-1.5)]
    [InlineData(3.0)]
    public void Erf_matches_known_values(double x)
    {
        var expected = x switch
        {
            0.0 => 0.0,
            0.5 => 0.5204998778,
            -1.5 => -0.9661051465,
            _ => 0.9999779095,
        };

        Assert.Equal(expected, TransformerLayer.Erf((float)x), 6);
    }

    private static double Loss(TransformerLayer layer, float[] input, float[] projection)
    {
        var output = layer.Forward(input, Tokens).Output;
        var loss = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            loss += (double)output[i] * projection[i];
        }

        return loss;
    }

    private static double NumericGradient(float[] values, int index, Func<double> loss)
    {
        const float step = 1e-2f;
        var original = values[index];
        values[index] = original + step;
        var up = loss();
        values[index] = original - step;
        var down = loss();
        values[index] = original;
        return (up - down) / (2 * step);
    }

    private static void AssertClose(double numeric, float analytic, string what) =>
        Assert.True(Math.Abs(numeric - analytic) <= 2e-2 * Math.Max(1, Math.Abs(numeric)), $"{what}: finite difference {numeric:G6}, backward {analytic:G6}");

    private static TransformerLayerWeights RandomWeights(Random random)
    {
        var weights = new TransformerLayerWeights(Dimension, Intermediate, Heads);
        for (var i = 0; i < TransformerLayerWeights.Count; i++)
        {
            var isGain = i is 8 or 14;
            Values(random, weights.Tensors[i].Length, isGain ? 0.2f : 0.5f).CopyTo(weights.Tensors[i], 0);
            if (isGain)
            {
                for (var k = 0; k < weights.Tensors[i].Length; k++)
                {
                    weights.Tensors[i][k] += 1f;
                }
            }
        }

        return weights;
    }

    private static float[] Values(Random random, int count, float scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
}
