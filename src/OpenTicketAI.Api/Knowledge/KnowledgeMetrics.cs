using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>
/// <c>otai.knowledge.*</c>: the documents each open collection serves, how long ago its copy was last brought up to date
/// with what other processes wrote (on disk or in the collection database), and the refreshes that failed — so a replica
/// serving a stale copy shows on a dashboard. Gauges are read from memory at scrape time.
/// </summary>
public sealed class KnowledgeMetrics
{
    public const string MeterName = "OpenTicketAI.Knowledge";

    private readonly KnowledgeStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _refreshed = new(StringComparer.Ordinal);
    private readonly Counter<long> _failures;

    public KnowledgeMetrics(IMeterFactory meterFactory, KnowledgeStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("otai.knowledge.documents", ObserveDocuments, unit: "{document}", description: "Documents each open knowledge collection serves.");
        meter.CreateObservableGauge("otai.knowledge.refresh.age", ObserveAge, unit: "s", description: "Seconds since each collection's copy was last found up to date with other processes' writes.");
        _failures = meter.CreateCounter<long>("otai.knowledge.refresh.failures", unit: "{refresh}", description: "Refreshes of a collection that failed (the copy kept serving what it had).");
    }

    public void Refreshed(string collection) => _refreshed[collection] = _time.GetTimestamp();

    public void RefreshFailed(string collection) => _failures.Add(1, new KeyValuePair<string, object?>("collection", collection));

    private IEnumerable<Measurement<long>> ObserveDocuments() =>
        _store.OpenCollections().Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("collection", c.Name)));

    private IEnumerable<Measurement<double>> ObserveAge() =>
        _refreshed.Select(r => new Measurement<double>(_time.GetElapsedTime(r.Value).TotalSeconds, new KeyValuePair<string, object?>("collection", r.Key)));
}
