using System.Numerics.Tensors;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Fits the wide linear path of each single-label head (see <see cref="LinearHead"/>): multinomial logistic regression on
/// the idf-weighted, L2-normalised n-gram bag side by side with the encoder embedding, solved to convergence with L-BFGS
/// per L2 strength (C = 1, 10, 100 in scikit-learn's sense, warm-started along the path) and kept at the C with the best
/// validation accuracy. Per head the validation rows then choose network, linear or their summed logits. Multi-label
/// heads keep the network (a table per tag would multiply the model size). Deterministic: every sum runs in row order.
/// </summary>
internal sealed class LinearPathTrainer(TrainerOptions options, ParallelOptions parallel)
{
    private static readonly double[] CGrid = [1, 10, 100];

    public TrainedNetwork Fit(TrainedNetwork network, HeadLayout[] heads, EncodedRow[] train, EncodedRow[] validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.Linear == LinearPath.Off || !heads.Any(h => h.Kind == HeadKind.SingleLabel))
        {
            return network;
        }

        var idf = Idf(train, network.Buckets);
        var trainRows = LinearRows.Build(train, idf, network.Buckets);
        var validationRows = LinearRows.Build(validation, idf, network.Buckets, trainRows.Used);
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
                _ when checkRows.Length == 0 => LinearPath.Sum,
                _ => new[] { (LinearPath.Off, Accuracy(networkOnly, checkTargets, labels)), (LinearPath.Linear, Accuracy(linearLogits, checkTargets, labels)), (LinearPath.Sum, Accuracy(summed, checkTargets, labels)) }
                    .Aggregate((a, b) => b.Item2 > a.Item2 + 1e-12 ? b : a).Item1,
            };
            result[h] = choice == LinearPath.Off ? result[h] : result[h] with { Linear = linear with { AddsNetwork = choice == LinearPath.Sum } };
            progress?.Report(new TrainingProgress(TrainingProgress.Linear, h + 1, heads.Length));
        }

        return result.Any(r => r.Linear is not null) ? network.WithHeads(result, idf) : network;
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
