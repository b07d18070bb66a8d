using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class CalibrationTests
{
    [Fact]
    public void Temperature_fit_recovers_the_temperature_that_drew_the_labels()
    {
        const int rows = 4000, labels = 3;
        const double trueTemperature = 2.5;
        var random = new Random(1);
        var logits = new float[rows * labels];
        var targets = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var z = logits.AsSpan(i * labels, labels);
            for (var k = 0; k < labels; k++)
            {
                z[k] = (float)(random.NextDouble() * 8);
            }

            var weights = z.ToArray().Select(v => Math.Exp(v / trueTemperature)).ToArray();
            var roll = random.NextDouble() * weights.Sum();
            var label = 0;
            while (label < labels - 1 && (roll -= weights[label]) >= 0)
            {
                label++;
            }

            targets[i] = label;
        }

        var fitted = Calibration.FitTemperature(logits, targets, labels);

        Assert.InRange(fitted, 2.2, 2.8);
    }

    [Fact]
    public void Temperature_is_one_without_validation_rows()
    {
        Assert.Equal(1f, Calibration.FitTemperature([], [], 3));
    }

    [Fact]
    public void Review_threshold_is_the_lowest_confidence_that_keeps_target_precision()
    {
        // Sorted by confidence: 10 right above 0.8, then one wrong at 0.7, two right at 0.6, three wrong below.
        float[] confidences = [0.99f, 0.98f, 0.97f, 0.96f, 0.95f, 0.94f, 0.93f, 0.92f, 0.91f, 0.9f, 0.7f, 0.6f, 0.6f, 0.5f, 0.45f, 0.4f];
        bool[] correct = [true, true, true, true, true, true, true, true, true, true, false, true, true, false, false, false];

        // At 0.6: 12 of 13 right (0.92); at 0.5: 12 of 14 (0.86).
        Assert.Equal(0.6f, Calibration.ReviewThreshold(confidences, correct, 0.9));
        Assert.Equal(0.9f, Calibration.ReviewThreshold(confidences, correct, 1.0));
    }

    [Fact]
    public void Review_threshold_is_null_when_the_precision_is_never_reached()
    {
        Assert.Null(Calibration.ReviewThreshold([0.9f, 0.8f, 0.7f], [false, true, true], 0.9));
        Assert.Null(Calibration.ReviewThreshold([], [], 0.9));
    }

    [Fact]
    public void F1_threshold_lies_between_the_separated_scores()
    {
        float[] scores = [0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f];
        bool[] positive = [true, true, true, false, false, false];

        Assert.Equal(0.5f, Calibration.F1Threshold(scores, positive), 5);
    }

    [Fact]
    public void F1_threshold_falls_back_to_one_half_with_too_few_positives()
    {
        Assert.Equal(Calibration.DefaultThreshold, Calibration.F1Threshold([0.9f, 0.2f, 0.1f], [true, false, false]));
    }

    [Fact]
    public void Head_names_become_unique_sanitised_output_names()
    {
        Assert.Equal(
            ["queue", "tags__en_", "queue_2", "feature_ids_2", "head"],
            OutputNames.Assign(["Queue", "Tags (EN)", "queue", "feature_ids", ""]));
    }

    [Fact]
    public void Shipped_review_threshold_is_zero_when_every_validation_prediction_meets_the_target()
    {
        Assert.Equal(0f, Calibration.ReviewThresholdOrBounds([1f, 1f, 1f], [true, true, true], 0.9));
    }

    [Fact]
    public void Shipped_review_threshold_is_one_when_the_target_is_never_reached()
    {
        Assert.Equal(1f, Calibration.ReviewThresholdOrBounds([0.9f, 0.8f, 0.7f], [false, true, true], 0.9));
    }

    [Fact]
    public void Shipped_review_threshold_is_the_computed_one_otherwise()
    {
        Assert.Equal(0.6f, Calibration.ReviewThresholdOrBounds([0.95f, 0.9f, 0.6f, 0.5f, 0.4f], [true, true, true, false, false], 0.9));
    }
}
