using System.ComponentModel.DataAnnotations;

namespace OpenTicketAI.Api.Metrics;

/// <summary>How <c>/metrics</c> is fed (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>How often the KPI gauges (misroute rate, live accuracy) are recomputed from the feedback store.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Metrics:KpiRefreshInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan KpiRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The trailing window the KPI gauges cover.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Metrics:KpiWindow must be between 00:01:00 and 365.00:00:00.")]
    public TimeSpan KpiWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Per head, only the first this-many labels of the manifest get their own series; the rest count as <c>other</c>.</summary>
    [Range(1, 1000, ErrorMessage = "Metrics:MaxLabelsPerHead must be between 1 and 1000.")]
    public int MaxLabelsPerHead { get; set; } = 100;
}
