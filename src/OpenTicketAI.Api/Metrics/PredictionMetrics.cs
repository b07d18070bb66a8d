using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Metrics;

/// <summary>
/// Instruments of the <c>OpenTicketAI.Predictions</c> meter: predicted labels, confidences and review routing of every
/// ticket <c>/predict</c> answers. Label values come only from the model's manifest, capped per head, so the number of
/// series stays bounded whatever the tickets say.
/// </summary>
public sealed class PredictionMetrics
{
    public const string MeterName = "OpenTicketAI.Predictions";
    public const string OtherLabel = "other";

    private static readonly double[] ConfidenceBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0];

    private readonly Counter<long> _labels;
    private readonly Counter<long> _tickets;
    private readonly Counter<long> _headsToReview;
    private readonly Histogram<double> _confidence;
    private readonly int _maxLabels;

    public PredictionMetrics(IMeterFactory meterFactory, IOptions<MetricsOptions> options)
    {
        var meter = meterFactory.Create(MeterName);
        _labels = meter.CreateCounter<long>("otai.predictions", "{prediction}", "Labels predicted, by model, version, head and label (each tag of a multi-label head counts once).");
        _tickets = meter.CreateCounter<long>("otai.tickets.predicted", "{ticket}", "Tickets classified, by model, version and routing: auto (no head needs review) or review.");
        _headsToReview = meter.CreateCounter<long>("otai.predictions.review", "{prediction}", "Head predictions below the head's review threshold, by model, version and head.");
        _confidence = meter.CreateHistogram<double>(
            "otai.prediction.confidence",
            unit: null,
            description: "Confidence of each head's prediction (0..1), by model and head.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConfidenceBuckets });
        _maxLabels = options.Value.MaxLabelsPerHead;
    }

    public void Record(ModelManifest manifest, ModelReference model, IReadOnlyList<PredictResponse> responses)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model.Name);
        var versionTag = new KeyValuePair<string, object?>("version", model.Version);
        foreach (var response in responses)
        {
            var anyReview = false;
            foreach (var head in manifest.Heads)
            {
                var headTag = new KeyValuePair<string, object?>("head", head.Name);
                if (response.Predictions.TryGetValue(head.Name, out var predicted))
                {
                    foreach (var label in Labels(predicted))
                    {
                        _labels.Add(1, modelTag, versionTag, headTag, new KeyValuePair<string, object?>("label", Bounded(head, label)));
                    }
                }

                if (response.Confidence.TryGetValue(head.Name, out var confidence))
                {
                    _confidence.Record(confidence, modelTag, headTag);
                }

                if (response.NeedsReview.TryGetValue(head.Name, out var review) && review)
                {
                    anyReview = true;
                    _headsToReview.Add(1, modelTag, versionTag, headTag);
                }
            }

            _tickets.Add(1, modelTag, versionTag, new KeyValuePair<string, object?>("routing", anyReview ? "review" : "auto"));
        }
    }

    private static IEnumerable<string> Labels(object predicted) => predicted switch
    {
        string label => [label],
        IEnumerable<string> labels => labels,
        _ => [],
    };

    /// <summary>The label when it is among the head's first <see cref="MetricsOptions.MaxLabelsPerHead"/>, else <see cref="OtherLabel"/>; only those are searched.</summary>
    private string Bounded(HeadSpec head, string label)
    {
        var searched = Math.Min(head.Labels.Count, _maxLabels);
        for (var i = 0; i < searched; i++)
        {
            if (string.Equals(head.Labels[i], label, StringComparison.Ordinal))
            {
                return label;
            }
        }

        return OtherLabel;
    }
}
