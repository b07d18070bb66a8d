using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Evaluation;

/// <summary>Scores a model on labelled rows; each head is judged only on the rows that carry it.</summary>
public static class ModelEvaluator
{
    public const double TargetPrecision = 0.9;

    public static EvaluationReport Evaluate(TicketClassifier classifier, IReadOnlyList<LabeledTicket> rows, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var heads = classifier.Manifest.Heads;
        var relevant = rows.Where(r => heads.Any(h => Carries(r, h))).ToArray();
        var predictions = new List<TicketPrediction>(relevant.Length);
        foreach (var batch in relevant.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            predictions.AddRange(classifier.Predict(batch.Select(r => r.Text).ToArray()));
        }

        var single = new List<SingleLabelHeadReport>();
        var multi = new List<MultiLabelHeadReport>();
        foreach (var head in heads)
        {
            var indices = Enumerable.Range(0, relevant.Length).Where(i => Carries(relevant[i], head)).ToArray();
            if (indices.Length == 0)
            {
                continue;
            }

            var headPredictions = indices.Select(i => predictions[i].Heads[head.Name]).ToArray();
            if (head.Kind == HeadKind.SingleLabel)
            {
                single.Add(EvaluateSingleLabel(head, indices.Select(i => relevant[i].Labels[head.Name]).ToArray(), headPredictions));
            }
            else
            {
                multi.Add(EvaluateMultiLabel(head, indices.Select(i => relevant[i].MultiLabels[head.Name]).ToArray(), headPredictions));
            }
        }

        return new EvaluationReport
        {
            Model = classifier.Manifest.Name,
            Version = classifier.Manifest.Version,
            Rows = relevant.Length,
            SingleLabelHeads = single,
            MultiLabelHeads = multi,
        };
    }

    /// <summary>Scores one single-label head from true labels and the model's predictions, row by row.</summary>
    public static SingleLabelHeadReport EvaluateSingleLabel(HeadSpec head, IReadOnlyList<string> truth, IReadOnlyList<HeadPrediction> predictions)
    {
        if (truth.Count != predictions.Count)
        {
            throw new ArgumentException($"{truth.Count} true labels but {predictions.Count} predictions.", nameof(predictions));
        }

        var labels = WithUnknown(head.Labels, truth);
        var index = labels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
        var trueIds = truth.Select(t => index[t]).ToArray();
        var predictedIds = predictions.Select(p => index[p.Labels[0]]).ToArray();
        var confidence = predictions.Select(p => p.Confidence).ToArray();
        var correct = trueIds.Zip(predictedIds, (t, p) => t == p).ToArray();

        var matrix = ClassificationMetrics.ConfusionMatrix(trueIds, predictedIds, labels.Count);
        var classes = ClassificationMetrics.PerClass(matrix);
        var calibration = ClassificationMetrics.ExpectedCalibrationError(confidence, correct);
        var coverage = ClassificationMetrics.CoverageAtPrecision(confidence, correct, TargetPrecision);
        return new SingleLabelHeadReport
        {
            Head = head.Name,
            Rows = truth.Count,
            Accuracy = ClassificationMetrics.Accuracy(trueIds, predictedIds),
            MacroF1 = ClassificationMetrics.MacroF1(classes),
            MajorityBaseline = ClassificationMetrics.MajorityBaseline(trueIds),
            MajorityClass = truth.GroupBy(t => t, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(),
            ExpectedCalibrationError = calibration.ExpectedCalibrationError,
            ReliabilityBins = calibration.Bins,
            CoverageAt90Precision = coverage.Share,
            CoverageThreshold = coverage.Threshold,
            NeedsReviewShare = truth.Count == 0 ? 0 : (double)predictions.Count(p => p.NeedsReview) / truth.Count,
            UnknownLabelRows = trueIds.Count(t => t >= head.Labels.Count),
            Labels = labels,
            Classes = ToReports(labels, classes, head.Labels.Count),
            ConfusionMatrix = matrix,
        };
    }

    /// <summary>Scores one multi-label head from true label sets and the model's predictions, row by row.</summary>
    public static MultiLabelHeadReport EvaluateMultiLabel(HeadSpec head, IReadOnlyList<IReadOnlyList<string>> truth, IReadOnlyList<HeadPrediction> predictions)
    {
        if (truth.Count != predictions.Count)
        {
            throw new ArgumentException($"{truth.Count} true label sets but {predictions.Count} predictions.", nameof(predictions));
        }

        var labels = WithUnknown(head.Labels, truth.SelectMany(t => t));
        var index = labels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
        var trueSets = truth.Select(t => Indicator(labels.Count, t.Select(l => index[l]))).ToArray();
        var predictedSets = predictions.Select(p => Indicator(labels.Count, p.Labels.Select(l => index[l]))).ToArray();
        var scores = predictions.Select(p =>
        {
            // Labels the model does not know get a score below any sigmoid output so they never rank.
            var row = Enumerable.Repeat(-1f, labels.Count).ToArray();
            foreach (var s in p.Scores)
            {
                row[index[s.Label]] = s.Score;
            }

            return row;
        }).ToArray();

        var result = ClassificationMetrics.MultiLabel(trueSets, predictedSets, labels.Count);
        return new MultiLabelHeadReport
        {
            Head = head.Name,
            Rows = truth.Count,
            MicroPrecision = result.MicroPrecision,
            MicroRecall = result.MicroRecall,
            MicroF1 = result.MicroF1,
            MacroPrecision = result.MacroPrecision,
            MacroRecall = result.MacroRecall,
            MacroF1 = result.MacroF1,
            PrecisionAt1 = ClassificationMetrics.PrecisionAtK(trueSets, scores, 1),
            PrecisionAt3 = ClassificationMetrics.PrecisionAtK(trueSets, scores, 3),
            UnknownLabelCount = truth.Sum(t => t.Count(l => index[l] >= head.Labels.Count)),
            Labels = ToReports(labels, result.PerLabel, head.Labels.Count),
        };
    }

    private static bool Carries(LabeledTicket row, HeadSpec head) =>
        head.Kind == HeadKind.SingleLabel ? row.Labels.ContainsKey(head.Name) : row.MultiLabels.ContainsKey(head.Name);

    private static List<string> WithUnknown(IReadOnlyList<string> known, IEnumerable<string> observed)
    {
        var labels = known.ToList();
        var set = known.ToHashSet(StringComparer.Ordinal);
        labels.AddRange(observed.Where(set.Add));
        return labels;
    }

    private static bool[] Indicator(int size, IEnumerable<int> indices)
    {
        var row = new bool[size];
        foreach (var i in indices)
        {
            row[i] = true;
        }

        return row;
    }

    private static ClassReport[] ToReports(IReadOnlyList<string> labels, IReadOnlyList<ClassScore> scores, int known) =>
        labels.Select((label, i) => new ClassReport(label, scores[i].Precision, scores[i].Recall, scores[i].F1, scores[i].Support, scores[i].Predicted, i < known)).ToArray();
}
