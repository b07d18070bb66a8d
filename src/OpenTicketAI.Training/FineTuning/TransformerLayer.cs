using System.Numerics.Tensors;

namespace OpenTicketAI.Training.FineTuning;

/// <summary>
/// The weights of one BERT encoder layer (post-LayerNorm, GELU), matrices row-major [in, out] as ONNX MatMul stores them.
/// The same shape holds gradients.
/// </summary>
internal sealed class TransformerLayerWeights
{
    public const int Count = 16;

    public TransformerLayerWeights(int dimension, int intermediate, int heads)
    {
        Dimension = dimension;
        Intermediate = intermediate;
        Heads = heads;
        Tensors = new float[Count][];
        for (var i = 0; i < Count; i++)
        {
            Tensors[i] = new float[Shape(i)];
        }
    }

    public int Dimension { get; }

    public int Intermediate { get; }

    public int Heads { get; }

    /// <summary>Query, key, value, attention output (weight, bias each), LayerNorm 1 (gain, bias), FFN in, FFN out (weight, bias each), LayerNorm 2.</summary>
    public float[][] Tensors { get; }

    public float[] QueryWeight => Tensors[0];
    public float[] QueryBias => Tensors[1];
    public float[] KeyWeight => Tensors[2];
    public float[] KeyBias => Tensors[3];
    public float[] ValueWeight => Tensors[4];
    public float[] ValueBias => Tensors[5];
    public float[] AttentionOutputWeight => Tensors[6];
    public float[] AttentionOutputBias => Tensors[7];
    public float[] AttentionNormGain => Tensors[8];
    public float[] AttentionNormBias => Tensors[9];
    public float[] IntermediateWeight => Tensors[10];
    public float[] IntermediateBias => Tensors[11];
    public float[] OutputWeight => Tensors[12];
    public float[] OutputBias => Tensors[13];
    public float[] OutputNormGain => Tensors[14];
    public float[] OutputNormBias => Tensors[15];

    /// <summary>Whether tensor <paramref name="index"/> is a matrix (weight decay applies) rather than a bias or gain.</summary>
    public static bool IsMatrix(int index) => index is 0 or 2 or 4 or 6 or 10 or 12;

    public int Shape(int index) => index switch
    {
        0 or 2 or 4 or 6 => Dimension * Dimension,
        10 or 12 => Dimension * Intermediate,
        11 => Intermediate,
        _ => Dimension,
    };

    public TransformerLayerWeights Zeros() => new(Dimension, Intermediate, Heads);

    public void Clear()
    {
        foreach (var tensor in Tensors)
        {
            Array.Clear(tensor);
        }
    }

    public void Add(TransformerLayerWeights other)
    {
        for (var i = 0; i < Count; i++)
        {
            TensorPrimitives.Add(Tensors[i], other.Tensors[i], Tensors[i]);
        }
    }
}

/// <summary>
/// Forward and backward pass of one BERT layer over one sequence of T tokens (no padding, so no attention mask):
/// self-attention → residual → LayerNorm → GELU feed-forward → residual → LayerNorm, as the ONNX export of
/// all-MiniLM-L6-v2 computes it (LayerNorm ε 1e-12, exact erf GELU).
/// </summary>
internal sealed class TransformerLayer(TransformerLayerWeights weights)
{
    private const float NormEpsilon = 1e-12f;

    public TransformerLayerWeights Weights { get; } = weights;

    /// <summary>What the backward pass needs from the forward pass of one sequence.</summary>
    internal sealed class Activations
    {
        public required int Tokens { get; init; }
        public required float[] Input { get; init; }
        public required float[] Query { get; init; }
        public required float[] Key { get; init; }
        public required float[] Value { get; init; }
        public required float[] Attention { get; init; }
        public required float[] Context { get; init; }
        public required float[] Normed1 { get; init; }
        public required float[] InvStd1 { get; init; }
        public required float[] Hidden1 { get; init; }
        public required float[] PreGelu { get; init; }
        public required float[] Gelu { get; init; }
        public required float[] Normed2 { get; init; }
        public required float[] InvStd2 { get; init; }
        public required float[] Output { get; init; }
    }

    /// <summary>Runs the layer on <paramref name="input"/> [tokens, D]; the result's <see cref="Activations.Output"/> is the layer output.</summary>
    public Activations Forward(float[] input, int tokens)
    {
        var w = Weights;
        int d = w.Dimension, f = w.Intermediate, heads = w.Heads, headDim = d / heads;
        var query = Linear(input, tokens, w.QueryWeight, w.QueryBias, d, d);
        var key = Linear(input, tokens, w.KeyWeight, w.KeyBias, d, d);
        var value = Linear(input, tokens, w.ValueWeight, w.ValueBias, d, d);
        var attention = new float[heads * tokens * tokens];
        var context = new float[tokens * d];
        var scale = 1f / MathF.Sqrt(headDim);
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < tokens; i++)
            {
                var row = attention.AsSpan(((h * tokens) + i) * tokens, tokens);
                var q = query.AsSpan((i * d) + (h * headDim), headDim);
                for (var j = 0; j < tokens; j++)
                {
                    row[j] = TensorPrimitives.Dot(q, key.AsSpan((j * d) + (h * headDim), headDim)) * scale;
                }

                Softmax(row);
                var c = context.AsSpan((i * d) + (h * headDim), headDim);
                for (var j = 0; j < tokens; j++)
                {
                    TensorPrimitives.MultiplyAdd(value.AsSpan((j * d) + (h * headDim), headDim), row[j], c, c);
                }
            }
        }

        var residual1 = Linear(context, tokens, w.AttentionOutputWeight, w.AttentionOutputBias, d, d);
        TensorPrimitives.Add(residual1, input, residual1);
        var (normed1, invStd1, hidden1) = LayerNorm(residual1, tokens, d, w.AttentionNormGain, w.AttentionNormBias);
        var preGelu = Linear(hidden1, tokens, w.IntermediateWeight, w.IntermediateBias, d, f);
        var gelu = new float[preGelu.Length];
        for (var i = 0; i < gelu.Length; i++)
        {
            gelu[i] = 0.5f * preGelu[i] * (1f + Erf(preGelu[i] / MathF.Sqrt(2f)));
        }

        var residual2 = Linear(gelu, tokens, w.OutputWeight, w.OutputBias, f, d);
        TensorPrimitives.Add(residual2, hidden1, residual2);
        var (normed2, invStd2, output) = LayerNorm(residual2, tokens, d, w.OutputNormGain, w.OutputNormBias);
        return new Activations
        {
            Tokens = tokens,
            Input = input,
            Query = query,
            Key = key,
            Value = value,
            Attention = attention,
            Context = context,
            Normed1 = normed1,
            InvStd1 = invStd1,
            Hidden1 = hidden1,
            PreGelu = preGelu,
            Gelu = gelu,
            Normed2 = normed2,
            InvStd2 = invStd2,
            Output = output,
        };
    }

    /// <summary>Adds the weight gradients of one sequence to <paramref name="gradients"/>; returns d loss / d input.</summary>
    public float[] Backward(Activations a, float[] outputGradient, TransformerLayerWeights gradients)
    {
        var w = Weights;
        int t = a.Tokens, d = w.Dimension, f = w.Intermediate, heads = w.Heads, headDim = d / heads;
        var dResidual2 = LayerNormBackward(outputGradient, a.Normed2, a.InvStd2, t, d, w.OutputNormGain, gradients.OutputNormGain, gradients.OutputNormBias);
        var dHidden1 = (float[])dResidual2.Clone();
        var dGelu = LinearBackward(a.Gelu, dResidual2, t, w.OutputWeight, f, d, gradients.OutputWeight, gradients.OutputBias);
        for (var i = 0; i < dGelu.Length; i++)
        {
            var x = a.PreGelu[i];
            var cdf = 0.5f * (1f + Erf(x / MathF.Sqrt(2f)));
            var pdf = MathF.Exp(-0.5f * x * x) / MathF.Sqrt(2f * MathF.PI);
            dGelu[i] *= cdf + (x * pdf);
        }

        var fromFfn = LinearBackward(a.Hidden1, dGelu, t, w.IntermediateWeight, d, f, gradients.IntermediateWeight, gradients.IntermediateBias);
        TensorPrimitives.Add(dHidden1, fromFfn, dHidden1);
        var dResidual1 = LayerNormBackward(dHidden1, a.Normed1, a.InvStd1, t, d, w.AttentionNormGain, gradients.AttentionNormGain, gradients.AttentionNormBias);
        var dInput = (float[])dResidual1.Clone();
        var dContext = LinearBackward(a.Context, dResidual1, t, w.AttentionOutputWeight, d, d, gradients.AttentionOutputWeight, gradients.AttentionOutputBias);

        var dQuery = new float[t * d];
        var dKey = new float[t * d];
        var dValue = new float[t * d];
        var dScores = new float[t];
        var scale = 1f / MathF.Sqrt(headDim);
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < t; i++)
            {
                var p = a.Attention.AsSpan(((h * t) + i) * t, t);
                var dc = dContext.AsSpan((i * d) + (h * headDim), headDim);
                for (var j = 0; j < t; j++)
                {
                    dScores[j] = TensorPrimitives.Dot(dc, a.Value.AsSpan((j * d) + (h * headDim), headDim));
                    var dv = dValue.AsSpan((j * d) + (h * headDim), headDim);
                    TensorPrimitives.MultiplyAdd(dc, p[j], dv, dv);
                }

                var dot = TensorPrimitives.Dot(dScores.AsSpan(0, t), p);
                var q = a.Query.AsSpan((i * d) + (h * headDim), headDim);
                var dq = dQuery.AsSpan((i * d) + (h * headDim), headDim);
                for (var j = 0; j < t; j++)
                {
                    var ds = p[j] * (dScores[j] - dot) * scale;
                    if (ds == 0f)
                    {
                        continue;
                    }

                    TensorPrimitives.MultiplyAdd(a.Key.AsSpan((j * d) + (h * headDim), headDim), ds, dq, dq);
                    var dk = dKey.AsSpan((j * d) + (h * headDim), headDim);
                    TensorPrimitives.MultiplyAdd(q, ds, dk, dk);
                }
            }
        }

        foreach (var (gradient, weight, weightGradient, biasGradient) in new[]
        {
            (dQuery, w.QueryWeight, gradients.QueryWeight, gradients.QueryBias),
            (dKey, w.KeyWeight, gradients.KeyWeight, gradients.KeyBias),
            (dValue, w.ValueWeight, gradients.ValueWeight, gradients.ValueBias),
        })
        {
            var fromProjection = LinearBackward(a.Input, gradient, t, weight, d, d, weightGradient, biasGradient);
            TensorPrimitives.Add(dInput, fromProjection, dInput);
        }

        return dInput;
    }

    /// <summary>x [rows, in] · W [in, out] + b.</summary>
    private static float[] Linear(float[] x, int rows, float[] weight, float[] bias, int inputs, int outputs)
    {
        var y = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
        {
            var target = y.AsSpan(r * outputs, outputs);
            bias.CopyTo(target);
            for (var i = 0; i < inputs; i++)
            {
                var xi = x[(r * inputs) + i];
                if (xi != 0f)
                {
                    TensorPrimitives.MultiplyAdd(weight.AsSpan(i * outputs, outputs), xi, target, target);
                }
            }
        }

        return y;
    }

    /// <summary>Accumulates dW += xᵀ·dy and db += Σ dy; returns dx = dy · Wᵀ.</summary>
    private static float[] LinearBackward(float[] x, float[] dy, int rows, float[] weight, int inputs, int outputs, float[] weightGradient, float[] biasGradient)
    {
        var dx = new float[rows * inputs];
        for (var r = 0; r < rows; r++)
        {
            var g = dy.AsSpan(r * outputs, outputs);
            TensorPrimitives.Add(biasGradient, g, biasGradient);
            for (var i = 0; i < inputs; i++)
            {
                var row = weight.AsSpan(i * outputs, outputs);
                dx[(r * inputs) + i] = TensorPrimitives.Dot(g, row);
                var xi = x[(r * inputs) + i];
                if (xi != 0f)
                {
                    var wg = weightGradient.AsSpan(i * outputs, outputs);
                    TensorPrimitives.MultiplyAdd(g, xi, wg, wg);
                }
            }
        }

        return dx;
    }

    private static (float[] Normed, float[] InvStd, float[] Output) LayerNorm(float[] x, int rows, int d, float[] gain, float[] bias)
    {
        var normed = new float[rows * d];
        var invStd = new float[rows];
        var output = new float[rows * d];
        for (var r = 0; r < rows; r++)
        {
            var source = x.AsSpan(r * d, d);
            var mean = TensorPrimitives.Sum(source) / d;
            var n = normed.AsSpan(r * d, d);
            TensorPrimitives.Subtract(source, mean, n);
            var variance = TensorPrimitives.Dot(n, n) / d;
            invStd[r] = 1f / MathF.Sqrt(variance + NormEpsilon);
            TensorPrimitives.Multiply(n, invStd[r], n);
            var o = output.AsSpan(r * d, d);
            TensorPrimitives.Multiply(n, gain, o);
            TensorPrimitives.Add(o, bias, o);
        }

        return (normed, invStd, output);
    }

    private static float[] LayerNormBackward(float[] dy, float[] normed, float[] invStd, int rows, int d, float[] gain, float[] gainGradient, float[] biasGradient)
    {
        var dx = new float[rows * d];
        var dNormed = new float[d];
        for (var r = 0; r < rows; r++)
        {
            var g = dy.AsSpan(r * d, d);
            var n = normed.AsSpan(r * d, d);
            TensorPrimitives.MultiplyAdd(g, n, gainGradient, gainGradient);
            TensorPrimitives.Add(biasGradient, g, biasGradient);
            TensorPrimitives.Multiply(g, gain, dNormed);
            var meanGradient = TensorPrimitives.Sum(dNormed) / d;
            var meanProjection = TensorPrimitives.Dot(dNormed, n) / d;
            var target = dx.AsSpan(r * d, d);
            for (var i = 0; i < d; i++)
            {
                target[i] = invStd[r] * (dNormed[i] - meanGradient - (n[i] * meanProjection));
            }
        }

        return dx;
    }

    private static void Softmax(Span<float> row)
    {
        TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
        TensorPrimitives.Exp(row, row);
        TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
    }

    /// <summary>erf(x) to ~1e-7 (Numerical Recipes' erfc Chebyshev fit); .NET has no Math.Erf.</summary>
    internal static float Erf(float x)
    {
        var z = Math.Abs((double)x);
        var t = 1.0 / (1.0 + (0.5 * z));
        double[] coefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var polynomial = 0.0;
        for (var i = coefficients.Length - 1; i >= 0; i--)
        {
            polynomial = coefficients[i] + (t * polynomial);
        }

        var erfc = t * Math.Exp((-z * z) + polynomial);
        return (float)(x >= 0 ? 1.0 - erfc : erfc - 1.0);
    }
}
