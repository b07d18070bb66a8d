namespace OpenTicketAI.Training.Learning;

/// <summary>Linear warm-up over the first steps, then cosine decay to a small floor at the last planned step.</summary>
internal sealed class LearningRateSchedule(long totalSteps)
{
    private const double Floor = 0.02;

    private readonly long _warmupSteps = Math.Max(1, totalSteps / 50);

    public float Factor(long step)
    {
        var warmup = Math.Min(1.0, (step + 1) / (double)_warmupSteps);
        var progress = Math.Min(1.0, step / (double)Math.Max(1, totalSteps));
        var cosine = Floor + ((1 - Floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
        return (float)(warmup * cosine);
    }
}
