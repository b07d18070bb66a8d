namespace OpenTicketAI.Training.Learning;

/// <summary>Post-training calibration on the validation rows: softmax temperature, review thresholds and multi-label decision thresholds.</summary>
internal static class Calibration
{
    public const float DefaultThreshold = 0.5f;
    public const int MinimumPositivesForThreshold = 5;

    // On perfectly separated validation rows the NLL falls forever as T -> 0; the bounds keep such a fit sane.
    private static readonly double MinLogTemperature = Math.Log(0.2);
    private static readonly double MaxLogTemperature = Math.Log(10);

    /// <summary>The temperature T minimising the mean negative log-likelihood of softmax(logits / T); 1 without rows.</summary>
    /// <param name="logits">Row-major [rows x labels].</param>
    public static float FitTemperature(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int labels)
    {
        if (targets.Length == 0)
        {
            return 1f;
        }

        // The NLL is convex in 1/T, hence unimodal in log T: a golden-section search finds its minimum.
        var data = logits.ToArray();
        var truth = targets.ToArray();
        double lo = MinLogTemperature, hi = MaxLogTemperature;
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var a = hi - (ratio * (hi - lo));
        var b = lo + (ratio * (hi - lo));
        double fa = NegativeLogLikelihood(data, truth, labels, Math.Exp(a)), fb = NegativeLogLikelihood(data, truth, labels, Math.Exp(b));
        for (var iteration = 0; iteration < 60; iteration++)
        {
            if (fa <= fb)
            {
                hi = b;
                (b, fb) = (a, fa);
                a = hi - (ratio * (hi - lo));
                fa = NegativeLogLikelihood(data, truth, labels, Math.Exp(a));
            }
            else
            {
                lo = a;
                (a, fa) = (b, fb);
                b = lo + (ratio * (hi - lo));
                fb = NegativeLogLikelihood(data, truth, labels, Math.Exp(b));
            }
        }

        return (float)Math.Exp((lo + hi) / 2);
    }

    public static double NegativeLogLikelihood(float[] logits, int[] targets, int labels, double temperature)
    {
        var total = 0.0;
        for (var row = 0; row < targets.Length; row++)
        {
            var z = logits.AsSpan(row * labels, labels);
            var max = double.NegativeInfinity;
            foreach (var v in z)
            {
                max = Math.Max(max, v / temperature);
            }

            var sum = 0.0;
            foreach (var v in z)
            {
                sum += Math.Exp((v / temperature) - max);
            }

            total += max + Math.Log(sum) - (z[targets[row]] / temperature);
        }

        return total / targets.Length;
    }

    /// <summary>
    /// The lowest confidence c among the predictions such that the predictions with confidence ≥ c are at least
    /// <paramref name="targetPrecision"/> correct; null when no such c exists. Use <see cref="ReviewThresholdOrBounds"/>
    /// for the value a manifest keeps.
    /// </summary>
    public static float? ReviewThreshold(ReadOnlySpan<float> confidences, ReadOnlySpan<bool> correct, double targetPrecision)
    {
        var order = Enumerable.Range(0, confidences.Length).ToArray();
        var keys = confidences.ToArray();
        Array.Sort(keys, order);
        float? threshold = null;
        var right = 0;
        for (var i = order.Length - 1; i >= 0; i--)
        {
            right += correct[order[i]] ? 1 : 0;
            var endOfTies = i == 0 || keys[i - 1] != keys[i];
            if (endOfTies && right >= targetPrecision * (order.Length - i))
            {
                threshold = keys[i];
            }
        }

        return threshold;
    }

    /// <summary>
    /// The review threshold a head ships with: 0 when every validation prediction already meets the target (nothing
    /// needs review), 1 when no threshold reaches it (everything needs review), else <see cref="ReviewThreshold"/>.
    /// A calibrated head that is always right on validation would otherwise flag every confidence below its lowest one.
    /// </summary>
    public static float ReviewThresholdOrBounds(ReadOnlySpan<float> confidences, ReadOnlySpan<bool> correct, double targetPrecision)
    {
        if (confidences.Length == 0)
        {
            return 0f;
        }

        var right = 0;
        foreach (var isCorrect in correct)
        {
            right += isCorrect ? 1 : 0;
        }

        if (right >= targetPrecision * confidences.Length)
        {
            return 0f;
        }

        return ReviewThreshold(confidences, correct, targetPrecision) ?? 1f;
    }

    /// <summary>
    /// The score threshold with the best F1 for one label, halfway between the lowest accepted and the highest rejected
    /// score; <see cref="DefaultThreshold"/> with fewer than <see cref="MinimumPositivesForThreshold"/> positives.
    /// </summary>
    public static float F1Threshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive, int minimumPositives = MinimumPositivesForThreshold)
    {
        var positives = 0;
        foreach (var p in positive)
        {
            positives += p ? 1 : 0;
        }

        if (positives < minimumPositives)
        {
            return DefaultThreshold;
        }

        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        var bestF1 = -1.0;
        var best = DefaultThreshold;
        var truePositives = 0;
        for (var i = order.Length - 1; i >= 0; i--)
        {
            truePositives += positive[order[i]] ? 1 : 0;
            if (i > 0 && keys[i - 1] == keys[i])
            {
                continue;
            }

            var predicted = order.Length - i;
            var f1 = 2.0 * truePositives / (predicted + positives);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                best = (keys[i] + (i > 0 ? keys[i - 1] : 0f)) / 2;
            }
        }

        return best;
    }
}
