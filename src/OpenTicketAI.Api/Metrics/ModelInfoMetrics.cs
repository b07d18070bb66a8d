using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Metrics;

/// <summary>
/// <c>otai.model.info</c>: 1 per served model with its name, version and a fingerprint of its manifest, so dashboards can
/// tell which model answered and when it changed. Read from the in-memory model store at scrape time.
/// </summary>
public sealed class ModelInfoMetrics
{
    public const string MeterName = "OpenTicketAI.Models";

    private readonly ModelStore _store;
    private readonly ConditionalWeakTable<ModelManifest, string> _fingerprints = [];

    public ModelInfoMetrics(IMeterFactory meterFactory, ModelStore store)
    {
        _store = store;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("otai.model.info", Observe, unit: null, description: "1 for every model being served, labelled with its name, version, manifest fingerprint and whether it is the default.");
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var status in _store.GetStatuses())
        {
            if (status.State != ModelState.Ready || status.Manifest is not { } manifest)
            {
                continue;
            }

            yield return new Measurement<int>(
                1,
                new KeyValuePair<string, object?>("model", status.Name),
                new KeyValuePair<string, object?>("version", manifest.Version),
                new KeyValuePair<string, object?>("fingerprint", _fingerprints.GetValue(manifest, Fingerprint)),
                new KeyValuePair<string, object?>("default", status.IsDefault ? "true" : "false"));
        }
    }

    /// <summary>First 12 hex digits of the SHA-256 of the manifest, which records the training data's hashes, seed and creation time.</summary>
    private static string Fingerprint(ModelManifest manifest) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(manifest)))[..12];
}
