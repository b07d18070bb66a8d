using System.Numerics.Tensors;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Limited-memory BFGS (two-loop recursion, Armijo backtracking) for <see cref="LinearProblem"/>. Stops when an
/// iteration lowers the objective by less than 1e-7 of its value, the largest gradient entry is below 1e-6, or after
/// the given number of iterations.
/// </summary>
internal static class Lbfgs
{
    private const int Memory = 7;
    private const double Armijo = 1e-4;
    private const double RelativeTolerance = 1e-7;

    public static float[] Minimize(LinearProblem problem, float[] start, int maxIterations, CancellationToken cancellationToken)
    {
        var n = problem.Dimension;
        var x = (float[])start.Clone();
        var g = new float[n];
        var f = problem.Evaluate(x, g);
        var next = new float[n];
        var nextGradient = new float[n];
        var direction = new float[n];
        var s = new List<float[]>();
        var y = new List<float[]>();
        var rho = new List<double>();
        var alpha = new double[Memory];
        for (var iteration = 0; iteration < maxIterations && Math.Abs(TensorPrimitives.MaxMagnitude(g)) > 1e-6f; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TensorPrimitives.Negate(g, direction);
            for (var k = s.Count - 1; k >= 0; k--)
            {
                alpha[k] = rho[k] * Dot(s[k], direction);
                TensorPrimitives.MultiplyAdd(y[k], (float)-alpha[k], direction, direction);
            }

            var step = 1.0;
            if (s.Count > 0)
            {
                var last = s.Count - 1;
                TensorPrimitives.Multiply(direction, (float)(1 / (rho[last] * Dot(y[last], y[last]))), direction);
                for (var k = 0; k < s.Count; k++)
                {
                    var beta = rho[k] * Dot(y[k], direction);
                    TensorPrimitives.MultiplyAdd(s[k], (float)(alpha[k] - beta), direction, direction);
                }
            }
            else
            {
                step = 1 / Math.Sqrt(Dot(g, g));
            }

            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                TensorPrimitives.Negate(g, direction);
                slope = -Dot(g, g);
                s.Clear();
                y.Clear();
                rho.Clear();
            }

            double nextLoss;
            var tries = 0;
            while (true)
            {
                TensorPrimitives.MultiplyAdd(direction, (float)step, x, next);
                nextLoss = problem.Evaluate(next, nextGradient);
                if (nextLoss <= f + (Armijo * step * slope) || ++tries >= 30)
                {
                    break;
                }

                step /= 2;
            }

            if (!(nextLoss < f))
            {
                break;
            }

            var sk = s.Count == Memory ? s[0] : new float[n];
            var yk = y.Count == Memory ? y[0] : new float[n];
            if (s.Count == Memory)
            {
                s.RemoveAt(0);
                y.RemoveAt(0);
                rho.RemoveAt(0);
            }

            TensorPrimitives.Subtract(next, x, sk);
            TensorPrimitives.Subtract(nextGradient, g, yk);
            var sy = Dot(sk, yk);
            if (sy > 1e-12)
            {
                s.Add(sk);
                y.Add(yk);
                rho.Add(1 / sy);
            }

            var decrease = f - nextLoss;
            (x, next) = (next, x);
            (g, nextGradient) = (nextGradient, g);
            f = nextLoss;
            if (decrease <= RelativeTolerance * Math.Max(Math.Abs(f), 1e-12))
            {
                break;
            }
        }

        return x;
    }

    /// <summary>A dot product accumulated in double, in index order.</summary>
    public static double Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var sum = 0.0;
        const int Block = 1024;
        for (var start = 0; start < left.Length; start += Block)
        {
            var length = Math.Min(Block, left.Length - start);
            sum += TensorPrimitives.Dot(left.Slice(start, length), right.Slice(start, length));
        }

        return sum;
    }
}
