using OpenTicketAI.Feedback.Kpis;

namespace OpenTicketAI.Api.Metrics;

/// <summary>The latest KPI report of the trailing window, kept so a scrape never queries the database.</summary>
public sealed class KpiSnapshot
{
    private volatile KpiReport? _current;

    public KpiReport? Current => _current;

    public void Update(KpiReport report) => _current = report;
}
