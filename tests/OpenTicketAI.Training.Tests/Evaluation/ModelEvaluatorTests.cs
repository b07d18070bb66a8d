using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Evaluation;

namespace OpenTicketAI.Training.Tests.Evaluation;

public sealed class ModelEvaluatorTests
{
    private static readonly HeadSpec Queue = new() { Name = "queue", Kind = HeadKind.SingleLabel, Output = "queue", Labels = ["A", "B"] };
    private static readonly HeadSpec Tags = new() { Name = "tags", Kind = HeadKind.MultiLabel, Output = "tags", Labels = ["x", "y", "z"] };

    [Fact]
    public void EvaluateSingleLabel_counts_labels_the_model_does_not_know_as_wrong()
    {
        var report = ModelEvaluator.EvaluateSingleLabel(Queue, ["A", "B", "C", "A"], [Single("A", 0.9f), Single("A", 0.8f), Single("B", 0.6f, review: true), Single("A", 0.7f)]);

        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(1, report.UnknownLabelRows);
        Assert.Equal(["A", "B", "C"], report.Labels);
        Assert.False(report.Classes[2].KnownToModel);
        Assert.Equal([0, 1, 0], report.ConfusionMatrix[2]);
        Assert.Equal(0.25, report.NeedsReviewShare);
        Assert.Equal(0.5, report.MajorityBaseline);
        Assert.Equal("A", report.MajorityClass);
    }

    [Fact]
    public void EvaluateSingleLabel_reports_coverage_and_its_threshold()
    {
        var report = ModelEvaluator.EvaluateSingleLabel(Queue, ["A", "B", "A", "B"], [Single("A", 0.9f), Single("B", 0.8f), Single("B", 0.6f), Single("B", 0.5f)]);

        Assert.Equal((0.5, 0.8f), (report.CoverageAt90Precision, report.CoverageThreshold));
        Assert.Equal(15, report.ReliabilityBins.Count);
    }

    [Fact]
    public void EvaluateMultiLabel_counts_unknown_labels_as_missed()
    {
        var report = ModelEvaluator.EvaluateMultiLabel(
            Tags,
            [["x"], ["y", "w"], []],
            [Multi(["x"], 0.9f, 0.1f, 0.1f), Multi(["y"], 0.1f, 0.9f, 0.2f), Multi([], 0.1f, 0.1f, 0.1f)]);

        Assert.Equal(1, report.UnknownLabelCount);
        Assert.Equal(1, report.MicroPrecision);
        Assert.Equal(2.0 / 3, report.MicroRecall, 1e-9);
        Assert.Equal(1, report.PrecisionAt1);
        Assert.Equal("w", report.Labels[3].Label);
        Assert.False(report.Labels[3].KnownToModel);
    }

    [Fact]
    public void ToHeadMetrics_summarises_each_head_for_the_manifest()
    {
        var report = new EvaluationReport
        {
            Model = "m",
            SingleLabelHeads = [ModelEvaluator.EvaluateSingleLabel(Queue, ["A", "B"], [Single("A", 0.9f), Single("A", 0.6f)])],
            MultiLabelHeads = [ModelEvaluator.EvaluateMultiLabel(Tags, [["x"]], [Multi(["x"], 0.9f, 0.1f, 0.1f)])],
        };

        var metrics = report.ToHeadMetrics();

        Assert.Equal((2, 0.5, 0.5), (metrics["queue"].Rows, metrics["queue"].Accuracy, metrics["queue"].MajorityBaseline));
        Assert.NotNull(metrics["queue"].CoverageAt90Precision);
        Assert.Null(metrics["queue"].MicroF1);
        Assert.Equal((1.0, (double?)null), (metrics["tags"].MicroF1, metrics["tags"].Accuracy));
    }

    internal static HeadPrediction Single(string label, float confidence, bool review = false) =>
        new("queue", HeadKind.SingleLabel, [label], confidence, review, [new LabelScore(label, confidence)]);

    internal static HeadPrediction Multi(string[] chosen, float x, float y, float z) =>
        new("tags", HeadKind.MultiLabel, chosen, 1f, false, [new LabelScore("x", x), new LabelScore("y", y), new LabelScore("z", z)]);
}
