namespace OpenTicketAI.Feedback.Storage;

// Rows as Dapper reads them: integers are long and flags 0/1 in both SQLite and PostgreSQL.
internal sealed class PredictionRow
{
    public long Id { get; set; }
    public string? Source { get; set; }
    public string? TicketId { get; set; }
    public string Model { get; set; } = string.Empty;
    public string ModelVersion { get; set; } = string.Empty;
    public long At { get; set; }
    public double LatencyMs { get; set; }
    public long AutoApplied { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
}

internal sealed class HeadRow
{
    public string Head { get; set; } = string.Empty;
    public string Labels { get; set; } = "[]";
    public double Confidence { get; set; }
    public long NeedsReview { get; set; }
}

internal sealed class PredictedHeadRow
{
    public string Labels { get; set; } = "[]";
}

internal sealed class LabelledTextRow
{
    public string Source { get; set; } = string.Empty;
    public string TicketId { get; set; } = string.Empty;
    public long At { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public long? ResolvedAt { get; set; }
}

internal sealed class LabelRow
{
    public string Source { get; set; } = string.Empty;
    public string TicketId { get; set; } = string.Empty;
    public string Head { get; set; } = string.Empty;
    public string Label { get; set; } = string.Empty;
}
