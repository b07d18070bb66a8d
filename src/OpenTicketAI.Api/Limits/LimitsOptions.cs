using System.ComponentModel.DataAnnotations;

namespace OpenTicketAI.Api.Limits;

/// <summary>How much one caller and all callers together may ask of the service (configuration section <c>Limits</c>).</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>A request still running after this long is cancelled and answered 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Limits:RequestTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Predictions running at once; more wait in a queue. 0 means two per processor.</summary>
    [Range(0, 1_024, ErrorMessage = "Limits:MaxConcurrentPredictions must be between 0 and 1024.")]
    public int MaxConcurrentPredictions { get; set; }

    /// <summary>Requests waiting for the model; beyond this the answer is 503 with Retry-After.</summary>
    [Range(0, 100_000, ErrorMessage = "Limits:MaxQueuedPredictions must be between 0 and 100000.")]
    public int MaxQueuedPredictions { get; set; } = 256;

    /// <summary>The Retry-After of a 503 when the prediction queue is full.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Limits:SaturatedRetryAfter must be between 00:00:01 and 00:10:00.")]
    public TimeSpan SaturatedRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public int ConcurrentPredictions => MaxConcurrentPredictions > 0 ? MaxConcurrentPredictions : 2 * Environment.ProcessorCount;
}

/// <summary>A token bucket per client (per remote IP address for requests without a valid key).</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The burst: requests a client may send at once after being idle.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Limits:RateLimit:TokenLimit must be between 1 and 10000000.")]
    public int TokenLimit { get; set; } = 200;

    /// <summary>Requests added back to the bucket every <see cref="ReplenishmentPeriod"/>: the sustained rate.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Limits:RateLimit:TokensPerPeriod must be between 1 and 10000000.")]
    public int TokensPerPeriod { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Limits:RateLimit:ReplenishmentPeriod must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
