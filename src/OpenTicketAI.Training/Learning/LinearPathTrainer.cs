using System.Numerics.Tensors;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Fits the wide linear path of each single-label head (see <see cref="LinearHead"/>): multinomial logistic regression on
/// the idf-weighted, L2-normalised n-gram bag side by side with the encoder embedding, solved to convergence with L-BFGS
/// per L2 strength (C = 1, 10, 100 in scikit-learn's sense, warm-started along the path) and kept at the C with the best
/// validation accuracy. Per head the linear path is kept unless the network, alone or with its logits added, is
/// significantly more accurate on the validation rows (see <see cref="SignificantAdvantage"/>). Multi-label
/// heads keep the network (a table per tag would multiply the model size). Deterministic: every sum runs in row order.
/// </summary>
internal sealed class LinearPathTrainer(TrainerOptions options, ParallelOptions parallel)
{
    private static readonly double[] CGrid = [1, 10, 100];

    /// <summary>
    /// The network (alone or added) replaces the linear path only when it is right on this many standard errors more
    /// validation rows: on a few hundred rows, "most accurate" alone picked a worse path about as often as a better one.
    /// </summary>
    private const double SignificantAdvantage = 2.0;

    public TrainedNetwork Fit(TrainedNetwork network, HeadLayout[] heads, EncodedRow[] train, EncodedRow[] validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.Linear == LinearPath.Off || !heads.Any(h => h.Kind == HeadKind.SingleLabel))
        {
            return network;
        }

        var idf = Idf(train, network.Buckets);
        var wordBuckets = network.Buckets == 0 ? 0 : options.Featurizer.WordBucketCount();
        var trainRows = LinearRows.Build(train, idf, network.Buckets, wordBuckets);
        var validationRows = LinearRows.Build(validation, idf, network.Buckets, wordBuckets, trainRows.Used);
        var networkLogits = validation.Length == 0 ? [] : network.Logits(validation.Select(r => r.Features).ToArray(), TrainingRun.Embeddings(validation), options.MaxDegreeOfParallelism);
        var result = network.Heads.ToArray();
        for (var h = 0; h < heads.Length; h++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (heads[h].Kind != HeadKind.SingleLabel)
            {
                continue;
            }

            var labels = heads[h].Labels.Length;
            var rows = Carrying(train, h);
            var weights = heads[h].ClassWeights(train.Select(r => r.Targets[h]), options.ClassWeightExponent);
            var problem = new LinearProblem(trainRows, rows, rows.Select(i => train[i].Targets[h]![0]).ToArray(), weights, labels, parallel);
            var checkRows = Carrying(validation, h);
            var checkTargets = checkRows.Select(i => validation[i].Targets[h]![0]).ToArray();
            var grid = options.LinearC is { } c ? [c] : checkRows.Length > 0 ? CGrid : [10.0];
            float[]? best = null;
            var bestAccuracy = -1.0;
            var parameters = new float[problem.Dimension];
            foreach (var value in grid)
            {
                parameters = Lbfgs.Minimize(problem.WithC(value), parameters, options.LinearMaxIterations, cancellationToken);
                var accuracy = Accuracy(problem.Logits(parameters, validationRows, checkRows), checkTargets, labels);
                if (best is null || accuracy > bestAccuracy + 1e-12)
                {
                    (best, bestAccuracy) = ((float[])parameters.Clone(), accuracy);
                }
            }

            var linear = problem.ToHead(best!, network.Buckets, addsNetwork: false);
            var linearLogits = problem.Logits(best!, validationRows, checkRows);
            var networkOnly = checkRows.SelectMany(i => networkLogits[h].AsSpan(i * labels, labels).ToArray()).ToArray();
            var summed = new float[linearLogits.Length];
            TensorPrimitives.Add(linearLogits, networkOnly, summed);
            var choice = options.Linear switch
            {
                LinearPath.Linear => LinearPath.Linear,
                LinearPath.Sum => LinearPath.Sum,
                _ when checkRows.Length == 0 => LinearPath.Linear,
                _ => new[] { (LinearPath.Off, networkOnly), (LinearPath.Sum, summed) }
                    .Select(other => (other.Item1, Z: PairedAdvantage(other.Item2, linearLogits, checkTargets, labels)))
                    .Where(other => other.Z > SignificantAdvantage)
                    .OrderByDescending(other => other.Z)
                    .Select(other => other.Item1)
                    .DefaultIfEmpty(LinearPath.Linear)
                    .First(),
            };
            result[h] = choice == LinearPath.Off ? result[h] : result[h] with { Linear = linear with { AddsNetwork = choice == LinearPath.Sum } };
            progress?.Report(new TrainingProgress(TrainingProgress.Linear, h + 1, heads.Length));
        }

        return result.Any(r => r.Linear is not null) ? network.WithHeads(result, idf, wordBuckets) : network;
    }

    /// <summary>idf = ln((1 + N) / (1 + df)) + 1 over the training rows (scikit-learn's smooth idf); 0 for buckets no row has.</summary>
    internal static float[] Idf(EncodedRow[] train, int buckets)
    {
        var df = new int[buckets];
        foreach (var row in train)
        {
            foreach (var id in row.Features.Ids)
            {
                df[id]++;
            }
        }

        return df.Select(n => n == 0 ? 0f : (float)(Math.Log((1.0 + train.Length) / (1.0 + n)) + 1)).ToArray();
    }

    /// <summary>
    /// McNemar's z of <paramref name="candidate"/> over <paramref name="baseline"/> on the same rows: (rows only the candidate
    /// gets right − rows only the baseline gets right) / √(their sum); 0 when they never disagree.
    /// </summary>
    internal static double PairedAdvantage(float[] candidate, float[] baseline, int[] targets, int labels)
    {
        int wins = 0, losses = 0;
        for (var r = 0; r < targets.Length; r++)
        {
            var candidateRight = TensorPrimitives.IndexOfMax(candidate.AsSpan(r * labels, labels)) == targets[r];
            var baselineRight = TensorPrimitives.IndexOfMax(baseline.AsSpan(r * labels, labels)) == targets[r];
            wins += candidateRight && !baselineRight ? 1 : 0;
            losses += baselineRight && !candidateRight ? 1 : 0;
        }

        return wins + losses == 0 ? 0 : (wins - losses) / Math.Sqrt(wins + losses);
    }

    private static int[] Carrying(EncodedRow[] rows, int head) => Enumerable.Range(0, rows.Length).Where(i => rows[i].Targets[head] is not null).ToArray();

    private static double Accuracy(float[] logits, int[] targets, int labels)
    {
        var correct = 0;
        for (var r = 0; r < targets.Length; r++)
        {
            correct += TensorPrimitives.IndexOfMax(logits.AsSpan(r * labels, labels)) == targets[r] ? 1 : 0;
        }

        return targets.Length == 0 ? 0 : (double)correct / targets.Length;
    }
}
