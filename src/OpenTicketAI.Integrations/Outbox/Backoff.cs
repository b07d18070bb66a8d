namespace OpenTicketAI.Integrations.Outbox;

/// <summary>Exponential backoff with jitter: <c>InitialDelay × 2^(attempt-1)</c>, at most <c>MaxDelay</c>, minus up to 20%.</summary>
public static class Backoff
{
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="retryAfter">The target's Retry-After, honoured up to <c>MaxDelay</c>.</param>
    public static TimeSpan Delay(int attempt, OutboxOptions options, TimeSpan? retryAfter = null, double? jitter = null)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ticks = Math.Min(options.InitialDelay.Ticks * Math.Pow(2, exponent), options.MaxDelay.Ticks);
        var factor = 1 - (0.2 * (jitter ?? Random.Shared.NextDouble()));
        var delay = TimeSpan.FromTicks((long)(ticks * factor));
        if (retryAfter is { } wait && wait > delay)
        {
            delay = wait < options.MaxDelay ? wait : options.MaxDelay;
        }

        return delay;
    }
}
