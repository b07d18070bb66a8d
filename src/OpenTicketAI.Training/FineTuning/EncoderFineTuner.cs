using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.FineTuning;

/// <summary>How fine-tuning went: <see cref="ValidationLoss"/> and <see cref="ValidationAccuracy"/> per epoch, index 0 the frozen encoder.</summary>
public sealed record FineTuningReport(int Layers, int BestEpoch, IReadOnlyList<double> ValidationLoss, IReadOnlyList<double> ValidationAccuracy);

/// <summary>
/// Fine-tunes the top <see cref="TrainerOptions.FineTuneLayers"/> layers of a BERT-style sentence encoder on the
/// single-label heads: the states entering those layers are computed once with ONNX Runtime (the lower layers stay
/// frozen), then the layers and one linear softmax per head on the L2-normalised mean-pooled output — the embedding
/// <see cref="SentenceEncoder"/> computes — are trained with AdamW. The heads start as scaled class centroids of the
/// frozen embeddings, so the layers get a useful gradient from the first step. The epoch with the lowest validation
/// loss wins (epoch 0: the frozen encoder). Deterministic for a seed, independent of the number of threads.
/// </summary>
internal sealed class EncoderFineTuner(TrainerOptions options, ParallelOptions parallel)
{
    private const int BatchSize = 32;
    private const int Partitions = 8;
    private const float HeadLearningRate = 1e-3f;
    private const float WeightDecay = 0.01f;
    private const float CentroidScale = 20f;

    /// <summary>Returns <paramref name="onnx"/> (the encoder's graph) with the best epoch's layer weights.</summary>
    public (byte[] Onnx, FineTuningReport Report) Run(
        SentenceEncoder encoder,
        byte[] onnx,
        LabeledTicket[] trainRows,
        LabeledTicket[] validationRows,
        HeadLayout[] heads,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        var singleLabel = heads.Where(h => h.Kind == Core.Models.HeadKind.SingleLabel).ToArray();
        if (singleLabel.Length == 0)
        {
            throw new ArgumentException("Fine-tuning the encoder needs at least one single-label head.");
        }

        var graph = BertGraph.Parse(onnx);
        var tuned = Math.Min(options.FineTuneLayers, graph.Layers);
        var first = graph.Layers - tuned;
        var layers = Enumerable.Range(first, tuned).Select(l => new TransformerLayer(graph.ReadLayer(l))).ToArray();

        var train = Prepare(trainRows, singleLabel, known: false);
        var validation = Prepare(validationRows, singleLabel, known: true);
        progress?.Report(new TrainingProgress(TrainingProgress.FineTune, 0, train.Length + validation.Length));
        var states = ComputeStates(graph, first, encoder, [.. train.Select(r => r.Row), .. validation.Select(r => r.Row)], cancellationToken);
        for (var i = 0; i < train.Length; i++)
        {
            train[i] = train[i] with { Input = states.Inputs[i] };
        }

        for (var i = 0; i < validation.Length; i++)
        {
            validation[i] = validation[i] with { Input = states.Inputs[train.Length + i] };
        }

        var d = graph.Dimension;
        var headWeights = singleLabel.Select((h, index) => new AdamParameter(Centroids(states.Embeddings.AsSpan(0, train.Length), train, index, h.Labels.Length, d))).ToArray();
        var headBiases = singleLabel.Select(h => new AdamParameter(new float[h.Labels.Length])).ToArray();
        var layerParameters = layers.Select(l => Enumerable.Range(0, TransformerLayerWeights.Count)
            .Select(i => new AdamParameter(l.Weights.Tensors[i], TransformerLayerWeights.IsMatrix(i) ? WeightDecay : 0f)).ToArray()).ToArray();

        var random = new Random(options.Seed);
        var batchesPerEpoch = (train.Length + BatchSize - 1) / BatchSize;
        var schedule = new LearningRateSchedule((long)batchesPerEpoch * options.FineTuneEpochs);
        var partitions = Enumerable.Range(0, Partitions).Select(_ => new Gradients(layers, singleLabel, d)).ToArray();
        var (bestLoss, firstAccuracy) = Validate(layers, headWeights, headBiases, validation, singleLabel.Length);
        var losses = new List<double> { bestLoss };
        var accuracy = new List<double> { firstAccuracy };
        var best = (Epoch: 0, Loss: bestLoss, Layers: layers.Select(l => Copy(l.Weights)).ToArray());
        var order = Enumerable.Range(0, train.Length).ToArray();
        var step = 0;
        var rowLoss = new double[train.Length];
        for (var epoch = 1; epoch <= options.FineTuneEpochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
                Parallel.For(0, Partitions, parallel, p =>
                {
                    for (var b = p; b < batch.Length; b += Partitions)
                    {
                        rowLoss[batch[b]] = Backpropagate(layers, headWeights, headBiases, train[batch[b]], partitions[p]);
                    }
                });
                for (var p = 1; p < Partitions; p++)
                {
                    partitions[0].Add(partitions[p]);
                    partitions[p].Clear();
                }

                step++;
                Apply(partitions[0], layerParameters, headWeights, headBiases, schedule.Factor(step - 1), step, 1f / batch.Length);
                progress?.Report(new TrainingProgress(TrainingProgress.FineTune, step, batchesPerEpoch * options.FineTuneEpochs, epoch));
            }

            var (loss, epochAccuracy) = Validate(layers, headWeights, headBiases, validation, singleLabel.Length);
            losses.Add(loss);
            accuracy.Add(epochAccuracy);
            progress?.Report(new TrainingProgress(TrainingProgress.FineTune, step, batchesPerEpoch * options.FineTuneEpochs, epoch, rowLoss.Average(), loss, epochAccuracy));
            if (loss < best.Loss || validation.Length == 0)
            {
                best = (epoch, loss, layers.Select(l => Copy(l.Weights)).ToArray());
            }
        }

        var tunedLayers = best.Layers.Select((w, i) => (Layer: first + i, Weights: w)).ToDictionary(x => x.Layer, x => x.Weights);
        return (graph.WithLayers(tunedLayers), new FineTuningReport(tuned, best.Epoch, losses, accuracy));
    }

    /// <summary>One AdamW step of every tuned tensor with the batch's summed gradients, which are then cleared.</summary>
    private void Apply(Gradients total, AdamParameter[][] layers, AdamParameter[] headWeights, AdamParameter[] headBiases, float factor, int step, float scale)
    {
        for (var l = 0; l < layers.Length; l++)
        {
            for (var i = 0; i < TransformerLayerWeights.Count; i++)
            {
                total.Layers[l].Tensors[i].CopyTo(layers[l][i].Gradient, 0);
                layers[l][i].Step(options.FineTuneLearningRate * factor, step, scale);
            }
        }

        for (var h = 0; h < headWeights.Length; h++)
        {
            total.HeadWeights[h].CopyTo(headWeights[h].Gradient, 0);
            total.HeadBiases[h].CopyTo(headBiases[h].Gradient, 0);
            headWeights[h].Step(HeadLearningRate * factor, step, scale);
            headBiases[h].Step(HeadLearningRate * factor, step, scale);
        }

        total.Clear();
    }

    /// <summary>
    /// A training or validation row: one target per single-label head (-1: none) and the states entering the first tuned
    /// layer [tokens x D], kept as half floats to halve the memory every row's states take.
    /// </summary>
    private sealed record TuningRow(LabeledTicket Row, int[] Targets, Half[] Input)
    {
        public float[] InputStates()
        {
            var states = new float[Input.Length];
            TensorPrimitives.ConvertToSingle(Input, states);
            return states;
        }
    }

    private sealed class Gradients
    {
        public Gradients(TransformerLayer[] layers, HeadLayout[] heads, int dimension)
        {
            Layers = layers.Select(l => l.Weights.Zeros()).ToArray();
            HeadWeights = heads.Select(h => new float[dimension * h.Labels.Length]).ToArray();
            HeadBiases = heads.Select(h => new float[h.Labels.Length]).ToArray();
        }

        public TransformerLayerWeights[] Layers { get; }

        public float[][] HeadWeights { get; }

        public float[][] HeadBiases { get; }

        public void Add(Gradients other)
        {
            for (var l = 0; l < Layers.Length; l++)
            {
                Layers[l].Add(other.Layers[l]);
            }

            for (var h = 0; h < HeadWeights.Length; h++)
            {
                TensorPrimitives.Add(HeadWeights[h], other.HeadWeights[h], HeadWeights[h]);
                TensorPrimitives.Add(HeadBiases[h], other.HeadBiases[h], HeadBiases[h]);
            }
        }

        public void Clear()
        {
            foreach (var layer in Layers)
            {
                layer.Clear();
            }

            foreach (var tensor in HeadWeights.Concat(HeadBiases))
            {
                Array.Clear(tensor);
            }
        }
    }

    private static TuningRow[] Prepare(LabeledTicket[] rows, HeadLayout[] heads, bool known) =>
        rows.Select(row => new TuningRow(
                row,
                heads.Select(h => (known ? h.EncodeKnown(row) : h.Encode(row)) is [var label, ..] ? label : -1).ToArray(),
                []))
            .Where(r => r.Targets.Any(t => t >= 0))
            .ToArray();

    /// <summary>Per row: the states entering the first tuned layer [tokens x D] and the frozen encoder's embedding.</summary>
    private (Half[][] Inputs, float[][] Embeddings) ComputeStates(BertGraph graph, int first, SentenceEncoder encoder, LabeledTicket[] rows, CancellationToken cancellationToken)
    {
        var tokens = rows.Select(r => encoder.Tokenize(r.Text)).ToArray();
        var states = new Half[rows.Length][];
        var embeddings = new float[rows.Length][];
        var d = graph.Dimension;
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.MaxDegreeOfParallelism == -1 ? 0 : options.MaxDegreeOfParallelism, InterOpNumThreads = 1 };
        using var session = new InferenceSession(graph.WithStatesBefore(first), sessionOptions);
        var inputs = EncoderInputs.Resolve(session.InputMetadata, "fine-tuning graph");
        var order = Enumerable.Range(0, rows.Length).OrderBy(i => tokens[i].Length).ThenBy(i => i).ToArray();
        string[] outputs = first == graph.Layers ? [graph.StatesBefore(first)] : [graph.StatesBefore(first), graph.StatesBefore(graph.Layers)];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            using var feeds = inputs.Feed(batch.Select(i => tokens[i]).ToArray());
            var length = feeds.Length;
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, feeds.Names, feeds.Values, outputs);
            var entering = results[0].GetTensorDataAsSpan<float>();
            var last = results[^1].GetTensorDataAsSpan<float>();
            for (var b = 0; b < batch.Length; b++)
            {
                var count = tokens[batch[b]].Length;
                states[batch[b]] = new Half[count * d];
                TensorPrimitives.ConvertToHalf(entering.Slice(b * length * d, count * d), states[batch[b]]);
                embeddings[batch[b]] = Pool(last.Slice(b * length * d, count * d), count, d).Embedding;
            }
        }

        return (states, embeddings);
    }

    /// <summary>Mean over tokens, then L2-normalised, as <see cref="SentenceEncoder"/> pools.</summary>
    private static (float[] Embedding, float Norm) Pool(ReadOnlySpan<float> states, int tokens, int d)
    {
        var mean = new float[d];
        for (var t = 0; t < tokens; t++)
        {
            TensorPrimitives.Add(mean, states.Slice(t * d, d), mean);
        }

        TensorPrimitives.Divide(mean, tokens, mean);
        var norm = TensorPrimitives.Norm(mean);
        if (norm > 0)
        {
            TensorPrimitives.Divide(mean, norm, mean);
        }

        return (mean, norm);
    }

    /// <summary>W [D x labels]: column c = scale · the normalised mean embedding of the training rows labelled c.</summary>
    private static float[] Centroids(ReadOnlySpan<float[]> embeddings, TuningRow[] rows, int head, int labels, int d)
    {
        var sums = new float[labels][];
        for (var c = 0; c < labels; c++)
        {
            sums[c] = new float[d];
        }

        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Targets[head] is var label and >= 0)
            {
                TensorPrimitives.Add(sums[label], embeddings[i], sums[label]);
            }
        }

        var weights = new float[d * labels];
        for (var c = 0; c < labels; c++)
        {
            var norm = TensorPrimitives.Norm(sums[c]);
            for (var k = 0; norm > 0 && k < d; k++)
            {
                weights[(k * labels) + c] = CentroidScale * sums[c][k] / norm;
            }
        }

        return weights;
    }

    /// <summary>Adds one row's gradients to <paramref name="gradients"/>; returns its loss (summed over heads).</summary>
    private static double Backpropagate(TransformerLayer[] layers, AdamParameter[] headWeights, AdamParameter[] headBiases, TuningRow row, Gradients gradients)
    {
        var d = layers[0].Weights.Dimension;
        var tokens = row.Input.Length / d;
        var activations = new TransformerLayer.Activations[layers.Length];
        var x = row.InputStates();
        for (var l = 0; l < layers.Length; l++)
        {
            activations[l] = layers[l].Forward(x, tokens);
            x = activations[l].Output;
        }

        var (embedding, norm) = Pool(x, tokens, d);
        var dEmbedding = new float[d];
        var loss = 0.0;
        for (var h = 0; h < headWeights.Length; h++)
        {
            if (row.Targets[h] < 0)
            {
                continue;
            }

            var logits = Probabilities(embedding, headWeights[h].Values, headBiases[h].Values);
            loss -= Math.Log(Math.Max(logits[row.Targets[h]], 1e-12f));
            logits[row.Targets[h]] -= 1f;
            var labels = logits.Length;
            TensorPrimitives.Add(gradients.HeadBiases[h], logits, gradients.HeadBiases[h]);
            for (var k = 0; k < d; k++)
            {
                var weightGradient = gradients.HeadWeights[h].AsSpan(k * labels, labels);
                TensorPrimitives.MultiplyAdd(logits, embedding[k], weightGradient, weightGradient);
                dEmbedding[k] += TensorPrimitives.Dot(logits, headWeights[h].Values.AsSpan(k * labels, labels));
            }
        }

        // Through the L2 normalisation and the mean over tokens.
        var projection = TensorPrimitives.Dot(dEmbedding, embedding);
        TensorPrimitives.MultiplyAdd(embedding, -projection, dEmbedding, dEmbedding);
        TensorPrimitives.Divide(dEmbedding, norm * tokens, dEmbedding);
        var dStates = new float[tokens * d];
        for (var t = 0; t < tokens; t++)
        {
            dEmbedding.CopyTo(dStates, t * d);
        }

        for (var l = layers.Length - 1; l >= 0; l--)
        {
            dStates = layers[l].Backward(activations[l], dStates, gradients.Layers[l]);
        }

        return loss;
    }

    /// <summary>Softmax probabilities of one head.</summary>
    private static float[] Probabilities(float[] embedding, float[] weights, float[] bias)
    {
        var labels = bias.Length;
        var logits = (float[])bias.Clone();
        for (var k = 0; k < embedding.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(weights.AsSpan(k * labels, labels), embedding[k], logits, logits);
        }

        TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), logits);
        TensorPrimitives.Exp(logits, logits);
        TensorPrimitives.Divide(logits, TensorPrimitives.Sum(logits), logits);
        return logits;
    }

    /// <summary>Mean cross-entropy and accuracy over the validation rows' head targets.</summary>
    private (double Loss, double Accuracy) Validate(TransformerLayer[] layers, AdamParameter[] headWeights, AdamParameter[] headBiases, TuningRow[] rows, int heads)
    {
        var loss = new double[rows.Length];
        var right = new int[rows.Length];
        var judged = new int[rows.Length];
        Parallel.For(0, rows.Length, parallel, i =>
        {
            var d = layers[0].Weights.Dimension;
            var tokens = rows[i].Input.Length / d;
            var x = rows[i].InputStates();
            foreach (var layer in layers)
            {
                x = layer.Forward(x, tokens).Output;
            }

            var embedding = Pool(x, tokens, d).Embedding;
            for (var h = 0; h < heads; h++)
            {
                if (rows[i].Targets[h] is var target and >= 0)
                {
                    var p = Probabilities(embedding, headWeights[h].Values, headBiases[h].Values);
                    loss[i] -= Math.Log(Math.Max(p[target], 1e-12f));
                    right[i] += TensorPrimitives.IndexOfMax(p) == target ? 1 : 0;
                    judged[i]++;
                }
            }
        });
        var total = Math.Max(1, judged.Sum());
        return (loss.Sum() / total, right.Sum() / (double)total);
    }

    private static TransformerLayerWeights Copy(TransformerLayerWeights weights)
    {
        var copy = weights.Zeros();
        for (var i = 0; i < TransformerLayerWeights.Count; i++)
        {
            weights.Tensors[i].CopyTo(copy.Tensors[i], 0);
        }

        return copy;
    }
}
