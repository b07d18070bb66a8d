namespace OpenTicketAI.Feedback.Kpis;

/// <summary>What the KPI queries read for one window; <see cref="KpiCalculator"/> turns it into a <see cref="KpiReport"/>.</summary>
internal sealed record KpiData(
    IReadOnlyList<KpiVolumeRow> Volumes,
    IReadOnlyList<KpiRoutedRow> Routed,
    IReadOnlyList<KpiJudgedRow> Judged,
    IReadOnlyList<KpiTicketRow> Tickets);

/// <summary>Predictions per model version and bucket.</summary>
internal sealed class KpiVolumeRow
{
    public string Model { get; set; } = string.Empty;
    public string ModelVersion { get; set; } = string.Empty;
    public long Bucket { get; set; }
    public long Predictions { get; set; }
    public long AutoApplied { get; set; }
}

/// <summary>Queue-head predictions per model version, bucket and predicted queue.</summary>
internal sealed class KpiRoutedRow
{
    public string Model { get; set; } = string.Empty;
    public string ModelVersion { get; set; } = string.Empty;
    public long Bucket { get; set; }
    public string? Queue { get; set; }
    public long Routed { get; set; }
}

/// <summary>One head of one prediction that has feedback, with the latest feedback label.</summary>
internal sealed class KpiJudgedRow
{
    public long PredictionId { get; set; }
    public string Model { get; set; } = string.Empty;
    public string ModelVersion { get; set; } = string.Empty;
    public long Bucket { get; set; }
    public string Head { get; set; } = string.Empty;

    /// <summary>The first predicted label (the only one of a single-label head).</summary>
    public string? Label { get; set; }

    /// <summary>Every predicted label as a JSON array.</summary>
    public string Labels { get; set; } = "[]";

    public string Correct { get; set; } = string.Empty;
}

/// <summary>A ticket predicted in the window (per model version) that has a first reply or a resolution.</summary>
internal sealed class KpiTicketRow
{
    public string Source { get; set; } = string.Empty;
    public string TicketId { get; set; } = string.Empty;
    public string Model { get; set; } = string.Empty;
    public string ModelVersion { get; set; } = string.Empty;
    public long FirstInWindow { get; set; }
    public long? CreatedAt { get; set; }
    public long? FirstReplyAt { get; set; }
    public long? ResolvedAt { get; set; }
    public long FirstPrediction { get; set; }
}
