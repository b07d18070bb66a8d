using OpenTicketAI.Training.Evaluation;

namespace OpenTicketAI.Training.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private const double Tolerance = 1e-6;

    // truth 0 0 1 1 2, predicted 0 1 1 1 0:
    // class 0: P 1/2 R 1/2 F1 .5; class 1: P 2/3 R 1 F1 .8; class 2: P 0 R 0 F1 0.
    private static readonly int[] Truth = [0, 0, 1, 1, 2];
    private static readonly int[] Predicted = [0, 1, 1, 1, 0];

    [Fact]
    public void Accuracy_is_the_share_of_matching_rows()
    {
        Assert.Equal(0.6, ClassificationMetrics.Accuracy(Truth, Predicted), Tolerance);
    }

    [Fact]
    public void ConfusionMatrix_counts_true_rows_by_predicted_columns()
    {
        var matrix = ClassificationMetrics.ConfusionMatrix(Truth, Predicted, 3);

        Assert.Equal([[1, 1, 0], [0, 2, 0], [1, 0, 0]], matrix);
    }

    [Fact]
    public void PerClass_scores_precision_recall_f1_and_support()
    {
        var scores = ClassificationMetrics.PerClass(ClassificationMetrics.ConfusionMatrix(Truth, Predicted, 3));

        Assert.Equal(new ClassScore(0.5, 0.5, 0.5, 2, 2), scores[0]);
        Assert.Equal(2.0 / 3, scores[1].Precision, Tolerance);
        Assert.Equal((1.0, 0.8, 2, 3), (scores[1].Recall, Math.Round(scores[1].F1, 6), scores[1].Support, scores[1].Predicted));
        Assert.Equal(new ClassScore(0, 0, 0, 1, 0), scores[2]);
    }

    [Fact]
    public void MacroF1_averages_class_f1_over_classes_seen_in_truth_or_predictions()
    {
        // A fourth class that never occurs does not dilute the average.
        var scores = ClassificationMetrics.PerClass(ClassificationMetrics.ConfusionMatrix(Truth, Predicted, 4));

        Assert.Equal((0.5 + 0.8 + 0) / 3, ClassificationMetrics.MacroF1(scores), Tolerance);
    }

    [Fact]
    public void MajorityBaseline_is_the_share_of_the_most_frequent_true_class()
    {
        Assert.Equal(0.4, ClassificationMetrics.MajorityBaseline(Truth), Tolerance);
        Assert.Equal(0, ClassificationMetrics.MajorityBaseline([]));
    }

    [Fact]
    public void ExpectedCalibrationError_weights_each_bin_gap_by_its_rows()
    {
        // Bin 14 (0.95): accuracy .5 vs confidence .95; bin 8 (0.55): accuracy 1 vs .55; each half the rows.
        var calibration = ClassificationMetrics.ExpectedCalibrationError([0.95f, 0.95f, 0.55f, 0.55f], [true, false, true, true]);

        Assert.Equal(0.45, calibration.ExpectedCalibrationError, 1e-5);
        Assert.Equal(15, calibration.Bins.Count);
        Assert.Equal((2, 0.5), (calibration.Bins[14].Count, calibration.Bins[14].Accuracy));
        Assert.Equal(0.55, calibration.Bins[8].MeanConfidence, 1e-5);
        Assert.Equal(0, calibration.Bins[0].Count);
    }

    [Fact]
    public void ExpectedCalibrationError_is_zero_when_confidence_matches_accuracy()
    {
        var calibration = ClassificationMetrics.ExpectedCalibrationError([1f, 1f, 0.5f, 0.5f], [true, true, true, false]);

        Assert.Equal(0, calibration.ExpectedCalibrationError, Tolerance);
        Assert.Equal(2, calibration.Bins[14].Count);
    }

    [Fact]
    public void CoverageAtPrecision_takes_the_largest_share_that_stays_at_90_percent()
    {
        // Precision dips to 2/3 after three rows but recovers to 9/10 with all ten.
        float[] confidence = [0.95f, 0.9f, 0.85f, 0.8f, 0.75f, 0.7f, 0.65f, 0.6f, 0.55f, 0.5f];
        bool[] correct = [true, true, false, true, true, true, true, true, true, true];

        var coverage = ClassificationMetrics.CoverageAtPrecision(confidence, correct);

        Assert.Equal((1.0, 0.5f), (coverage.Share, coverage.Threshold));
    }

    [Fact]
    public void CoverageAtPrecision_reports_the_threshold_of_the_last_applied_row()
    {
        float[] confidence = [0.5f, 0.95f, 0.9f, 0.85f, 0.8f, 0.75f, 0.7f, 0.65f, 0.6f, 0.55f];
        bool[] correct = [false, true, true, false, true, true, true, true, true, false];

        var coverage = ClassificationMetrics.CoverageAtPrecision(confidence, correct);

        Assert.Equal((0.2, 0.9f), (coverage.Share, coverage.Threshold));
    }

    [Fact]
    public void CoverageAtPrecision_applies_tied_confidences_together()
    {
        // One threshold cannot apply one 0.9 row without the other, so 1/2 is the best at 0.9 and nothing qualifies.
        var coverage = ClassificationMetrics.CoverageAtPrecision([0.9f, 0.9f, 0.8f], [true, false, true]);

        Assert.Equal((0.0, (float?)null), (coverage.Share, coverage.Threshold));
    }

    [Fact]
    public void MultiLabel_computes_micro_and_macro_scores()
    {
        // Label 0: P1 R1; label 1: P1 R.5; label 2: P0 R0. Micro: tp 2, fp 1, fn 2.
        bool[][] truth = [[true, true, false], [false, true, false], [false, false, true]];
        bool[][] predicted = [[true, false, false], [false, true, true], [false, false, false]];

        var scores = ClassificationMetrics.MultiLabel(truth, predicted, 3);

        Assert.Equal(2.0 / 3, scores.MicroPrecision, Tolerance);
        Assert.Equal(0.5, scores.MicroRecall, Tolerance);
        Assert.Equal(4.0 / 7, scores.MicroF1, Tolerance);
        Assert.Equal(2.0 / 3, scores.MacroPrecision, Tolerance);
        Assert.Equal(0.5, scores.MacroRecall, Tolerance);
        Assert.Equal((1 + (2.0 / 3) + 0) / 3, scores.MacroF1, Tolerance);
        Assert.Equal((1.0, 0.5, 2, 1), (scores.PerLabel[1].Precision, scores.PerLabel[1].Recall, scores.PerLabel[1].Support, scores.PerLabel[1].Predicted));
    }

    [Fact]
    public void PrecisionAtK_averages_over_rows_that_have_a_true_label()
    {
        bool[][] truth = [[true, true, false], [false, true, false], [false, false, true], [false, false, false]];
        float[][] scores = [[0.9f, 0.2f, 0.1f], [0.1f, 0.8f, 0.6f], [0.3f, 0.2f, 0.1f], [0.9f, 0.9f, 0.9f]];

        Assert.Equal(2.0 / 3, ClassificationMetrics.PrecisionAtK(truth, scores, 1), Tolerance);
        Assert.Equal(4.0 / 9, ClassificationMetrics.PrecisionAtK(truth, scores, 3), Tolerance);
    }
}
