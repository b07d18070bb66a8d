using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback.Kpis;

namespace OpenTicketAI.Api.Metrics;

/// <summary>
/// Gauges of the <c>OpenTicketAI.Kpis</c> meter over the cached <see cref="KpiSnapshot"/> (trailing
/// <see cref="MetricsOptions.KpiWindow"/>), per model version so a new version can be compared with the one before it:
/// misroute rate per queue, live accuracy and macro-F1 per head, auto-applied share. A figure with nothing to judge yet
/// is left out rather than reported as 0.
/// </summary>
public sealed class KpiMetrics
{
    public const string MeterName = "OpenTicketAI.Kpis";

    private readonly KpiSnapshot _snapshot;
    private readonly int _maxSeries;

    public KpiMetrics(IMeterFactory meterFactory, KpiSnapshot snapshot, IOptions<MetricsOptions> options)
    {
        _snapshot = snapshot;
        _maxSeries = options.Value.MaxLabelsPerHead;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("otai.kpi.misroute_rate", ObserveMisrouting, unit: null, description: "Share of tickets a model version routed to a queue that feedback moved elsewhere, over the trailing window.");
        meter.CreateObservableGauge("otai.kpi.accuracy", () => ObserveHeads(h => h.Accuracy), unit: null, description: "Live accuracy per model version and head (correct / judged by feedback) over the trailing window.");
        meter.CreateObservableGauge("otai.kpi.macro_f1", () => ObserveHeads(h => h.MacroF1), unit: null, description: "Live macro-F1 per model version and head over the trailing window.");
        meter.CreateObservableGauge("otai.kpi.auto_applied_share", ObserveAutoApplied, unit: null, description: "Share of a model version's predictions with no head routed to review, over the trailing window.");
    }

    private IEnumerable<KpiFigures> Versions() => _snapshot.Current?.Versions ?? [];

    private IEnumerable<Measurement<double>> ObserveMisrouting() =>
        Versions().SelectMany(version => version.Queues
            .Where(q => q.Rate is not null)
            .OrderByDescending(q => q.Routed)
            .Take(_maxSeries)
            .Select(q => new Measurement<double>(q.Rate!.Value, Model(version), Version(version), new KeyValuePair<string, object?>("queue", q.Queue))));

    private IEnumerable<Measurement<double>> ObserveHeads(Func<HeadKpi, double?> figure) =>
        Versions().SelectMany(version => version.Heads
            .Where(h => figure(h) is not null)
            .Take(_maxSeries)
            .Select(h => new Measurement<double>(figure(h)!.Value, Model(version), Version(version), new KeyValuePair<string, object?>("head", h.Head))));

    private IEnumerable<Measurement<double>> ObserveAutoApplied() =>
        Versions()
            .Where(v => v.AutoAppliedShare is not null)
            .Select(v => new Measurement<double>(v.AutoAppliedShare!.Value, Model(v), Version(v)));

    private static KeyValuePair<string, object?> Model(KpiFigures figures) => new("model", figures.Model);

    private static KeyValuePair<string, object?> Version(KpiFigures figures) => new("version", figures.ModelVersion);
}
