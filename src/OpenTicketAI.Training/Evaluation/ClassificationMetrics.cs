namespace OpenTicketAI.Training.Evaluation;

/// <summary>
/// Pure metric functions over arrays of class indices, confidences and label sets. Undefined ratios (no
/// predictions, no support) count as 0; macro averages run over the classes that occur in the truth or the predictions.
/// </summary>
public static class ClassificationMetrics
{
    public const int DefaultCalibrationBins = 15;

    public static double Accuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        RequireSameLength(truth.Length, predicted.Length);
        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }

        return Ratio(correct, truth.Length);
    }

    /// <summary>counts[true][predicted].</summary>
    public static int[][] ConfusionMatrix(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes)
    {
        RequireSameLength(truth.Length, predicted.Length);
        var matrix = new int[classes][];
        for (var c = 0; c < classes; c++)
        {
            matrix[c] = new int[classes];
        }

        for (var i = 0; i < truth.Length; i++)
        {
            matrix[truth[i]][predicted[i]]++;
        }

        return matrix;
    }

    /// <summary>Precision, recall, F1, support (true rows) and predicted rows of each class of a confusion matrix.</summary>
    public static ClassScore[] PerClass(int[][] confusion)
    {
        var scores = new ClassScore[confusion.Length];
        for (var c = 0; c < confusion.Length; c++)
        {
            var tp = confusion[c][c];
            var support = confusion[c].Sum();
            var predicted = confusion.Sum(row => row[c]);
            scores[c] = Score(tp, predicted - tp, support - tp);
        }

        return scores;
    }

    public static double MacroF1(IReadOnlyList<ClassScore> classes)
    {
        var present = classes.Where(c => c.Support > 0 || c.Predicted > 0).ToArray();
        return present.Length == 0 ? 0 : present.Average(c => c.F1);
    }

    /// <summary>The accuracy of always answering the most frequent true class.</summary>
    public static double MajorityBaseline(ReadOnlySpan<int> truth)
    {
        var counts = new Dictionary<int, int>();
        foreach (var t in truth)
        {
            counts[t] = counts.GetValueOrDefault(t) + 1;
        }

        return counts.Count == 0 ? 0 : Ratio(counts.Values.Max(), truth.Length);
    }

    /// <summary>
    /// Expected calibration error over equal-width bins of top-label confidence:
    /// Σ (bin rows / rows) · |bin accuracy − bin mean confidence|.
    /// </summary>
    public static Calibration ExpectedCalibrationError(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int bins = DefaultCalibrationBins)
    {
        RequireSameLength(confidence.Length, correct.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var confidenceSum = new double[bins];
        var correctCount = new int[bins];
        for (var i = 0; i < confidence.Length; i++)
        {
            var b = Math.Clamp((int)(confidence[i] * bins), 0, bins - 1);
            count[b]++;
            confidenceSum[b] += confidence[i];
            correctCount[b] += correct[i] ? 1 : 0;
        }

        var reliability = new ReliabilityBin[bins];
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
        {
            var meanConfidence = count[b] == 0 ? 0 : confidenceSum[b] / count[b];
            var accuracy = Ratio(correctCount[b], count[b]);
            reliability[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b], meanConfidence, accuracy);
            ece += Ratio(count[b], confidence.Length) * Math.Abs(accuracy - meanConfidence);
        }

        return new Calibration(ece, reliability);
    }

    /// <summary>
    /// The largest share of rows whose top label can be applied automatically with one confidence threshold
    /// (apply when confidence ≥ threshold) while the applied labels stay at least <paramref name="precision"/> correct.
    /// </summary>
    public static Coverage CoverageAtPrecision(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, double precision = 0.9)
    {
        RequireSameLength(confidence.Length, correct.Length);
        var order = new int[confidence.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = confidence.ToArray();
        Array.Sort(keys, order, Comparer<float>.Create((a, b) => b.CompareTo(a)));

        var (applied, right, bestApplied) = (0, 0, 0);
        float? threshold = null;
        for (var i = 0; i < order.Length; i++)
        {
            applied++;
            right += correct[order[i]] ? 1 : 0;
            var endOfTies = i + 1 == order.Length || keys[i + 1] < keys[i];
            if (endOfTies && right >= (precision * applied) - 1e-9)
            {
                (bestApplied, threshold) = (applied, keys[i]);
            }
        }

        return new Coverage(Ratio(bestApplied, confidence.Length), threshold, precision);
    }

    /// <summary>Micro and macro precision/recall/F1 and per-label scores; truth[row][label], predicted[row][label].</summary>
    public static MultiLabelScores MultiLabel(bool[][] truth, bool[][] predicted, int labels)
    {
        RequireSameLength(truth.Length, predicted.Length);
        var (tp, fp, fn) = (new int[labels], new int[labels], new int[labels]);
        for (var i = 0; i < truth.Length; i++)
        {
            for (var k = 0; k < labels; k++)
            {
                var (t, p) = (truth[i][k], predicted[i][k]);
                tp[k] += t && p ? 1 : 0;
                fp[k] += !t && p ? 1 : 0;
                fn[k] += t && !p ? 1 : 0;
            }
        }

        var perLabel = Enumerable.Range(0, labels).Select(k => Score(tp[k], fp[k], fn[k])).ToArray();
        var micro = Score(tp.Sum(), fp.Sum(), fn.Sum());
        var present = perLabel.Where(c => c.Support > 0 || c.Predicted > 0).ToArray();
        double Macro(Func<ClassScore, double> metric) => present.Length == 0 ? 0 : present.Average(metric);
        return new MultiLabelScores(
            micro.Precision,
            micro.Recall,
            micro.F1,
            Macro(c => c.Precision),
            Macro(c => c.Recall),
            Macro(c => c.F1),
            perLabel);
    }

    /// <summary>
    /// Mean share of true labels among each row's k highest-scored labels (k capped at the label count),
    /// over the rows that have at least one true label.
    /// </summary>
    public static double PrecisionAtK(bool[][] truth, float[][] scores, int k)
    {
        RequireSameLength(truth.Length, scores.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var (sum, rows) = (0.0, 0);
        for (var i = 0; i < truth.Length; i++)
        {
            if (!truth[i].Any(t => t))
            {
                continue;
            }

            var top = Math.Min(k, scores[i].Length);
            var hits = scores[i]
                .Select((score, label) => (score, label))
                .OrderByDescending(s => s.score)
                .Take(top)
                .Count(s => truth[i][s.label]);
            sum += (double)hits / top;
            rows++;
        }

        return rows == 0 ? 0 : sum / rows;
    }

    private static ClassScore Score(int tp, int fp, int fn)
    {
        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassScore(precision, recall, f1, tp + fn, tp + fp);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static void RequireSameLength(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"The arrays differ in length ({a} vs {b}).");
        }
    }
}

/// <summary>Scores of one class or label. Support = rows truly in the class; Predicted = rows assigned to it.</summary>
public sealed record ClassScore(double Precision, double Recall, double F1, int Support, int Predicted);

/// <summary>Rows whose top-label confidence falls in [Lower, Upper) (the last bin includes 1).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

public sealed record Calibration(double ExpectedCalibrationError, IReadOnlyList<ReliabilityBin> Bins);

/// <summary>Share of rows auto-applied at <see cref="Threshold"/> (null when no threshold reaches the precision).</summary>
public sealed record Coverage(double Share, float? Threshold, double Precision);

public sealed record MultiLabelScores(
    double MicroPrecision,
    double MicroRecall,
    double MicroF1,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    IReadOnlyList<ClassScore> PerLabel);
