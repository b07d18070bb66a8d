namespace OpenTicketAI.Training.Learning;

/// <summary>A dense weight tensor with its gradient accumulator and Adam moments (decoupled weight decay, AdamW).</summary>
internal sealed class AdamParameter(float[] values, float weightDecay = 0f)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    private readonly float[] _m = new float[values.Length];
    private readonly float[] _v = new float[values.Length];

    public float[] Values { get; } = values;

    public float[] Gradient { get; } = new float[values.Length];

    /// <summary>Applies the accumulated gradient times <paramref name="gradientScale"/> and clears it; <paramref name="step"/> counts from 1.</summary>
    public void Step(float learningRate, int step, float gradientScale)
    {
        var correction1 = 1f - MathF.Pow(Beta1, step);
        var correction2 = 1f - MathF.Pow(Beta2, step);
        for (var i = 0; i < Values.Length; i++)
        {
            var g = Gradient[i] * gradientScale;
            _m[i] = (Beta1 * _m[i]) + ((1f - Beta1) * g);
            _v[i] = (Beta2 * _v[i]) + ((1f - Beta2) * g * g);
            var update = _m[i] / correction1 / (MathF.Sqrt(_v[i] / correction2) + Epsilon);
            Values[i] -= learningRate * (update + (weightDecay * Values[i]));
        }

        Array.Clear(Gradient);
    }
}
