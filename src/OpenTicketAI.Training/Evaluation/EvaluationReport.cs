using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Evaluation;

/// <summary>A model's held-out evaluation: one entry per head that the evaluated rows carry.</summary>
public sealed record EvaluationReport
{
    public required string Model { get; init; }

    public string? Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Rows evaluated (rows that carry at least one of the model's heads).</summary>
    public int Rows { get; init; }

    public IReadOnlyList<SingleLabelHeadReport> SingleLabelHeads { get; init; } = [];

    public IReadOnlyList<MultiLabelHeadReport> MultiLabelHeads { get; init; } = [];

    /// <summary>The summary the manifest keeps under <c>metrics</c>.</summary>
    public IReadOnlyDictionary<string, HeadMetrics> ToHeadMetrics()
    {
        var metrics = new Dictionary<string, HeadMetrics>(StringComparer.Ordinal);
        foreach (var head in SingleLabelHeads)
        {
            metrics[head.Head] = new HeadMetrics
            {
                Rows = head.Rows,
                Accuracy = head.Accuracy,
                MacroF1 = head.MacroF1,
                ExpectedCalibrationError = head.ExpectedCalibrationError,
                CoverageAt90Precision = head.CoverageAt90Precision,
                MajorityBaseline = head.MajorityBaseline,
            };
        }

        foreach (var head in MultiLabelHeads)
        {
            metrics[head.Head] = new HeadMetrics { Rows = head.Rows, MicroF1 = head.MicroF1, MacroF1 = head.MacroF1 };
        }

        return metrics;
    }
}

/// <summary>
/// One single-label head. <see cref="Labels"/> orders <see cref="Classes"/> and both axes of <see cref="ConfusionMatrix"/>
/// (rows = true, columns = predicted): the model's labels, then labels found only in the data.
/// </summary>
public sealed record SingleLabelHeadReport
{
    public required string Head { get; init; }

    public int Rows { get; init; }

    public double Accuracy { get; init; }

    public double MacroF1 { get; init; }

    public double MajorityBaseline { get; init; }

    public string? MajorityClass { get; init; }

    public double ExpectedCalibrationError { get; init; }

    public IReadOnlyList<ReliabilityBin> ReliabilityBins { get; init; } = [];

    /// <summary>Share of rows auto-applied at <see cref="CoverageThreshold"/> with at least 90% of them right.</summary>
    public double CoverageAt90Precision { get; init; }

    public float? CoverageThreshold { get; init; }

    /// <summary>Share of rows the model flags needs_review (confidence below the head's review threshold).</summary>
    public double NeedsReviewShare { get; init; }

    /// <summary>Rows whose true label the model does not know; they count as wrong.</summary>
    public int UnknownLabelRows { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<ClassReport> Classes { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; } = [];
}

/// <summary>One multi-label head; <see cref="Labels"/> holds per-label scores, the model's labels first.</summary>
public sealed record MultiLabelHeadReport
{
    public required string Head { get; init; }

    public int Rows { get; init; }

    public double MicroPrecision { get; init; }

    public double MicroRecall { get; init; }

    public double MicroF1 { get; init; }

    public double MacroPrecision { get; init; }

    public double MacroRecall { get; init; }

    public double MacroF1 { get; init; }

    public double PrecisionAt1 { get; init; }

    public double PrecisionAt3 { get; init; }

    /// <summary>True labels (occurrences) the model does not know; each counts as missed.</summary>
    public int UnknownLabelCount { get; init; }

    public IReadOnlyList<ClassReport> Labels { get; init; } = [];
}

/// <summary>Scores of one class or label; <see cref="KnownToModel"/> is false for a label found only in the data.</summary>
public sealed record ClassReport(string Label, double Precision, double Recall, double F1, int Support, int Predicted, bool KnownToModel);
