using System.Numerics.Tensors;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// The weights and optimiser state of one training run. Each mini-batch runs forward/backward per row in parallel, sums
/// the dense gradients in row order (Adam), then applies per-row SGD to only the embedding rows the batch touched, with
/// each thread owning a range of buckets: every float is updated in the same order whatever the thread count.
/// </summary>
internal sealed class TrainingRun
{
    private const float InitialHiddenBias = 0.1f;
    private const ulong InputSalt = 0x1D5EED;
    private const ulong HiddenSalt = 0x2D5EED;

    private readonly TrainerOptions _options;
    private readonly ParallelOptions _parallel;
    private readonly HeadLayout[] _heads;
    private readonly EncodedRow[] _train;
    private readonly EncodedRow[] _validation;
    private readonly int _buckets;
    private readonly int _width;
    private readonly int _partitions;
    private readonly int _embeddingDimension;

    private readonly float[] _embedding;
    private readonly AdamParameter _hiddenBias;
    private readonly AdamParameter? _encoderWeights;
    private readonly AdamParameter[] _weights;
    private readonly AdamParameter[] _biases;
    private readonly float[][] _classWeights;
    private readonly float[] _lossScales;

    private readonly int[] _logitOffsets;
    private readonly int _logitWidth;
    private readonly float[] _batchHidden;
    private readonly float[] _batchHiddenGradients;
    private readonly float[] _batchLogitGradients;
    private readonly double[] _batchLosses;
    private readonly int[] _batchPairs;

    public TrainingRun(TrainerOptions options, ParallelOptions parallel, HeadLayout[] heads, EncodedRow[] train, EncodedRow[] validation)
    {
        _options = options;
        _parallel = parallel;
        _heads = heads;
        _train = train;
        _validation = validation;
        _buckets = options.EffectiveFeatures == FeatureMode.Encoder ? 0 : options.Featurizer.Buckets;
        _width = options.HiddenDimension;
        _embeddingDimension = train.FirstOrDefault()?.Embedding?.Length ?? 0;
        _partitions = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;

        // Zero embeddings keep never-seen buckets exactly 0; a positive hidden bias keeps every ReLU alive at the start.
        _embedding = new float[_buckets * _width];
        _hiddenBias = new AdamParameter(Enumerable.Repeat(InitialHiddenBias, _width).ToArray());
        var random = new Random(unchecked(options.Seed + 1));
        _weights = heads.Select(h => new AdamParameter(GlorotUniform(random, _width, h.Labels.Length), options.WeightDecay)).ToArray();
        _biases = heads.Select(h => new AdamParameter(new float[h.Labels.Length])).ToArray();

        // A generator of its own, so n-gram-only runs draw exactly the numbers they always did.
        _encoderWeights = _embeddingDimension == 0 ? null
            : new AdamParameter(GlorotUniform(new Random(unchecked(options.Seed + 3)), _embeddingDimension, _width), options.WeightDecay);
        _classWeights = heads.Select((h, i) => h.ClassWeights(
            train.Select(r => r.Targets[i]),
            h.Kind == HeadKind.MultiLabel ? options.PositiveWeightExponent ?? options.ClassWeightExponent : options.ClassWeightExponent)).ToArray();
        _lossScales = heads.Select((h, i) =>
            (float)(HeadWeight(h, train.Select(r => r.Targets[i]), options) / h.PriorLoss(train.Select(r => r.Targets[i]), _classWeights[i]))).ToArray();

        _logitOffsets = new int[heads.Length];
        for (var h = 1; h < heads.Length; h++)
        {
            _logitOffsets[h] = _logitOffsets[h - 1] + heads[h - 1].Labels.Length;
        }

        _logitWidth = heads.Sum(h => h.Labels.Length);
        _batchHidden = new float[options.BatchSize * _width];
        _batchHiddenGradients = new float[options.BatchSize * _width];
        _batchLogitGradients = new float[options.BatchSize * _logitWidth];
        _batchLosses = new double[options.BatchSize];
        _batchPairs = new int[options.BatchSize];
    }

    public List<EpochSummary> History { get; } = [];

    /// <summary>Per head, the factor its loss is multiplied by: its weight (see <see cref="HeadWeight"/>) / its prior loss.</summary>
    internal IReadOnlyList<float> LossScales => _lossScales;

    /// <summary>Trains until <see cref="TrainerOptions.MaxEpochs"/> or early stopping; returns the weights of the epoch with the lowest validation loss.</summary>
    public (TrainedNetwork Network, int BestEpoch) Fit(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, _train.Length).ToArray();
        var random = new Random(unchecked(_options.Seed + 2));
        var batchesPerEpoch = (_train.Length + _options.BatchSize - 1) / _options.BatchSize;
        var totalBatches = batchesPerEpoch * _options.MaxEpochs;
        var schedule = new LearningRateSchedule(totalBatches);
        var reportEvery = Math.Max(1, batchesPerEpoch / 50);
        Checkpoint? best = null;
        var bestLoss = double.PositiveInfinity;
        var stale = 0;
        var step = 0;
        for (var epoch = 1; epoch <= _options.MaxEpochs; epoch++)
        {
            random.Shuffle(order);
            var lossSum = 0.0;
            long pairs = 0;
            for (var b = 0; b < batchesPerEpoch; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = b * _options.BatchSize;
                var batch = new ArraySegment<int>(order, start, Math.Min(_options.BatchSize, order.Length - start));
                var (loss, count) = TrainBatch(batch, schedule.Factor(step), ++step);
                lossSum += loss;
                pairs += count;
                if ((b + 1) % reportEvery == 0 && b + 1 < batchesPerEpoch)
                {
                    progress?.Report(new TrainingProgress(TrainingProgress.Train, step, totalBatches, epoch));
                }
            }

            var trainLoss = lossSum / Math.Max(pairs, 1);
            if (!double.IsFinite(trainLoss))
            {
                throw new InvalidOperationException($"Training diverged in epoch {epoch} (loss {trainLoss}); lower LearningRate or EmbeddingLearningRate.");
            }

            var validationLoss = ValidationLoss();
            History.Add(new EpochSummary(epoch, trainLoss, validationLoss));
            progress?.Report(new TrainingProgress(TrainingProgress.Train, step, totalBatches, epoch, trainLoss, validationLoss));
            if (validationLoss is not { } current)
            {
                continue;
            }

            if (current < bestLoss)
            {
                bestLoss = current;
                stale = 0;
                best ??= new Checkpoint(this);
                best.Save(this, epoch);
            }
            else if (++stale >= _options.Patience)
            {
                break;
            }
        }

        return best is null ? (View(), History.Count) : (best.ToNetwork(this), best.Epoch);
    }

    private (double Loss, int Pairs) TrainBatch(ArraySegment<int> batch, float rateFactor, int step)
    {
        Parallel.For(0, batch.Count, _parallel, slot => ForwardBackward(_train[batch[slot]], slot, step));

        var loss = 0.0;
        var pairs = 0;
        for (var slot = 0; slot < batch.Count; slot++)
        {
            var row = _train[batch[slot]];
            var hidden = _batchHidden.AsSpan(slot * _width, _width);
            var hiddenGradient = _batchHiddenGradients.AsSpan(slot * _width, _width);
            TensorPrimitives.Add(_hiddenBias.Gradient, hiddenGradient, _hiddenBias.Gradient);
            if (_encoderWeights is not null && row.Embedding is { } input)
            {
                // dL/dW_enc[i, :] = input[i] * dL/dpre-activation, summed in row order.
                for (var i = 0; i < input.Length; i++)
                {
                    var gradient = _encoderWeights.Gradient.AsSpan(i * _width, _width);
                    TensorPrimitives.MultiplyAdd(hiddenGradient, input[i], gradient, gradient);
                }
            }

            for (var h = 0; h < _heads.Length; h++)
            {
                if (row.Targets[h] is null)
                {
                    continue;
                }

                var labels = _heads[h].Labels.Length;
                var logitGradient = LogitSlot(slot, h);
                TensorPrimitives.Add(_biases[h].Gradient, logitGradient, _biases[h].Gradient);
                for (var k = 0; k < _width; k++)
                {
                    if (hidden[k] != 0f)
                    {
                        var gradient = _weights[h].Gradient.AsSpan(k * labels, labels);
                        TensorPrimitives.MultiplyAdd(logitGradient, hidden[k], gradient, gradient);
                    }
                }
            }

            loss += _batchLosses[slot];
            pairs += _batchPairs[slot];
        }

        var learningRate = _options.LearningRate * rateFactor;
        var scale = 1f / batch.Count;
        _hiddenBias.Step(learningRate, step, scale);
        _encoderWeights?.Step(learningRate, step, scale);
        for (var h = 0; h < _heads.Length; h++)
        {
            _weights[h].Step(learningRate, step, scale);
            _biases[h].Step(learningRate, step, scale);
        }

        UpdateEmbedding(batch, -_options.EmbeddingLearningRate * rateFactor, step);
        return (loss, pairs);
    }

    private void ForwardBackward(EncodedRow row, int slot, int step)
    {
        var hidden = _batchHidden.AsSpan(slot * _width, _width);
        var hiddenGradient = _batchHiddenGradients.AsSpan(slot * _width, _width);
        if (_options.InputDropout > 0)
        {
            var key = DropoutKey(step, slot, InputSalt);
            var features = row.Features;
            var scale = 1f / (1f - _options.InputDropout);
            hidden.Clear();
            for (var j = 0; j < features.Count; j++)
            {
                if (Keeps(key, j, _options.InputDropout))
                {
                    TensorPrimitives.MultiplyAdd(_embedding.AsSpan(features.Ids[j] * _width, _width), features.Weights[j] * scale, hidden, hidden);
                }
            }

            NetworkMath.AddEncoder(row.Embedding, _encoderWeights?.Values, hidden);
            TensorPrimitives.Add(hidden, _hiddenBias.Values, hidden);
            TensorPrimitives.Max(hidden, 0f, hidden);
        }
        else
        {
            NetworkMath.Hidden(row.Features, _embedding, _hiddenBias.Values, hidden, row.Embedding, _encoderWeights?.Values);
        }

        var hiddenScale = 1f;
        if (_options.HiddenDropout > 0)
        {
            var key = DropoutKey(step, slot, HiddenSalt);
            hiddenScale = 1f / (1f - _options.HiddenDropout);
            for (var k = 0; k < _width; k++)
            {
                hidden[k] = Keeps(key, k, _options.HiddenDropout) ? hidden[k] * hiddenScale : 0f;
            }
        }

        hiddenGradient.Clear();
        var loss = 0.0;
        var pairs = 0;
        for (var h = 0; h < _heads.Length; h++)
        {
            if (row.Targets[h] is not { } targets)
            {
                continue;
            }

            var labels = _heads[h].Labels.Length;
            var logits = LogitSlot(slot, h);
            var weights = _weights[h].Values;
            NetworkMath.Logits(hidden, weights, _biases[h].Values, logits);
            loss += _lossScales[h] * LossAndGradient(_heads[h].Kind, logits, targets, _classWeights[h]);
            TensorPrimitives.Multiply(logits, _lossScales[h], logits);
            pairs++;
            for (var k = 0; k < _width; k++)
            {
                // Through the ReLU: no gradient where the unit is off.
                if (hidden[k] > 0f)
                {
                    hiddenGradient[k] += TensorPrimitives.Dot(weights.AsSpan(k * labels, labels), logits);
                }
            }
        }

        if (hiddenScale != 1f)
        {
            // Through the dropout mask: kept units were scaled up, dropped ones are 0 and got no gradient above.
            TensorPrimitives.Multiply(hiddenGradient, hiddenScale, hiddenGradient);
        }

        _batchLosses[slot] = loss;
        _batchPairs[slot] = pairs;
    }

    private void UpdateEmbedding(ArraySegment<int> batch, float rate, int step)
    {
        var dropout = _options.InputDropout;
        var inputScale = 1f / (1f - dropout);
        Parallel.For(0, _partitions, _parallel, partition =>
        {
            var first = (int)((long)_buckets * partition / _partitions);
            var end = (int)((long)_buckets * (partition + 1) / _partitions);
            for (var slot = 0; slot < batch.Count; slot++)
            {
                var features = _train[batch[slot]].Features;
                var gradient = _batchHiddenGradients.AsSpan(slot * _width, _width);
                var key = dropout > 0 ? DropoutKey(step, slot, InputSalt) : 0;
                for (var j = LowerBound(features.Ids, first); j < features.Count && features.Ids[j] < end; j++)
                {
                    if (dropout > 0 && !Keeps(key, j, dropout))
                    {
                        continue;
                    }

                    var row = _embedding.AsSpan(features.Ids[j] * _width, _width);
                    TensorPrimitives.MultiplyAdd(gradient, rate * features.Weights[j] * (dropout > 0 ? inputScale : 1f), row, row);
                }
            }
        });
    }

    /// <summary>
    /// The early-stopping criterion: the mean over heads of each head's mean scaled loss on the validation rows that
    /// carry it (see <see cref="LossScales"/>), so a head with many labels or rows does not outweigh the others; null
    /// without validation rows.
    /// </summary>
    private double? ValidationLoss()
    {
        if (_validation.Length == 0)
        {
            return null;
        }

        var logits = View().Logits(_validation.Select(r => r.Features).ToArray(), Embeddings(_validation), _options.MaxDegreeOfParallelism);
        var sum = 0.0;
        var heads = 0;
        for (var h = 0; h < _heads.Length; h++)
        {
            var labels = _heads[h].Labels.Length;
            var total = 0.0;
            var rows = 0;
            for (var i = 0; i < _validation.Length; i++)
            {
                if (_validation[i].Targets[h] is { } targets)
                {
                    total += LossAndGradient(_heads[h].Kind, logits[h].AsSpan(i * labels, labels), targets, _classWeights[h]);
                    rows++;
                }
            }

            if (rows > 0)
            {
                sum += _lossScales[h] * total / rows;
                heads++;
            }
        }

        return heads == 0 ? null : sum / heads;
    }

    /// <summary>
    /// The class-weighted loss of one head (softmax cross-entropy, or binary cross-entropy summed over labels);
    /// overwrites <paramref name="logits"/> with its gradient.
    /// </summary>
    internal static double LossAndGradient(HeadKind kind, Span<float> logits, int[] targets, float[] classWeights)
    {
        if (kind == HeadKind.SingleLabel)
        {
            var target = targets[0];
            var weight = classWeights[target];
            var max = TensorPrimitives.Max(logits);
            var sum = 0.0;
            foreach (var z in logits)
            {
                sum += Math.Exp(z - max);
            }

            var logSumExp = max + Math.Log(sum);
            var loss = weight * (logSumExp - logits[target]);
            for (var k = 0; k < logits.Length; k++)
            {
                logits[k] = weight * (float)Math.Exp(logits[k] - logSumExp);
            }

            logits[target] -= weight;
            return loss;
        }

        var total = 0.0;
        var next = 0;
        for (var k = 0; k < logits.Length; k++)
        {
            double z = logits[k];
            var score = (float)(1 / (1 + Math.Exp(-z)));
            if (next < targets.Length && targets[next] == k)
            {
                next++;
                total += classWeights[k] * NetworkMath.Softplus(-z);
                logits[k] = classWeights[k] * (score - 1f);
            }
            else
            {
                total += NetworkMath.Softplus(z);
                logits[k] = score;
            }
        }

        return total;
    }

    /// <summary>
    /// How many single-label heads a head counts as: 1, or for a multi-label head its mean number of labels per row
    /// (each a decision of its own) times <see cref="TrainerOptions.MultiLabelLossWeight"/>.
    /// </summary>
    private static double HeadWeight(HeadLayout head, IEnumerable<int[]?> trainTargets, TrainerOptions options)
    {
        if (head.Kind == HeadKind.SingleLabel)
        {
            return 1;
        }

        var carried = trainTargets.OfType<int[]>().ToArray();
        var positives = carried.Length == 0 ? 0 : carried.Average(t => t.Length);
        return options.MultiLabelLossWeight * (positives > 0 ? positives : 1);
    }

    /// <summary>A key per (step, batch slot): the same whatever thread runs the row.</summary>
    private ulong DropoutKey(int step, int slot, ulong salt) =>
        SplitMix((ulong)(uint)_options.Seed ^ salt ^ SplitMix(((ulong)(uint)step << 20) ^ (uint)slot));

    private static bool Keeps(ulong key, int index, float dropout) =>
        (SplitMix(key + (ulong)index) >> 40) * (1.0 / (1UL << 24)) >= dropout;

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private Span<float> LogitSlot(int slot, int head) =>
        _batchLogitGradients.AsSpan((slot * _logitWidth) + _logitOffsets[head], _heads[head].Labels.Length);

    /// <summary>The rows' encoder embeddings, or null for a run without an encoder.</summary>
    internal static float[][]? Embeddings(EncodedRow[] rows) =>
        rows.Length > 0 && rows[0].Embedding is not null ? rows.Select(r => r.Embedding!).ToArray() : null;

    private TrainedNetwork View() => new(
        _buckets,
        _width,
        _embedding,
        _hiddenBias.Values,
        _heads.Select((h, i) => new HeadWeights(h.Name, h.Kind, h.Output, h.Labels, _weights[i].Values, _biases[i].Values)).ToArray(),
        _embeddingDimension,
        _encoderWeights?.Values ?? default(Memory<float>));

    private static int LowerBound(int[] sortedIds, int value)
    {
        var index = Array.BinarySearch(sortedIds, value);
        return index >= 0 ? index : ~index;
    }

    private static float[] GlorotUniform(Random random, int fanIn, int fanOut)
    {
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var values = new float[fanIn * fanOut];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * limit);
        }

        return values;
    }

    /// <summary>A copy of the weights at the best epoch so far, reusing its buffers.</summary>
    private sealed class Checkpoint(TrainingRun run)
    {
        private readonly float[] _embedding = new float[run._embedding.Length];
        private readonly float[] _hiddenBias = new float[run._width];
        private readonly float[] _encoderWeights = new float[run._encoderWeights?.Values.Length ?? 0];
        private readonly float[][] _weights = run._weights.Select(w => new float[w.Values.Length]).ToArray();
        private readonly float[][] _biases = run._biases.Select(b => new float[b.Values.Length]).ToArray();

        public int Epoch { get; private set; }

        public void Save(TrainingRun source, int epoch)
        {
            Epoch = epoch;
            source._embedding.CopyTo(_embedding, 0);
            source._hiddenBias.Values.CopyTo(_hiddenBias, 0);
            source._encoderWeights?.Values.CopyTo(_encoderWeights, 0);
            for (var h = 0; h < _weights.Length; h++)
            {
                source._weights[h].Values.CopyTo(_weights[h], 0);
                source._biases[h].Values.CopyTo(_biases[h], 0);
            }
        }

        public TrainedNetwork ToNetwork(TrainingRun source) => new(
            source._buckets,
            source._width,
            _embedding,
            _hiddenBias,
            source._heads.Select((h, i) => new HeadWeights(h.Name, h.Kind, h.Output, h.Labels, _weights[i], _biases[i])).ToArray(),
            source._embeddingDimension,
            _encoderWeights);
    }
}
