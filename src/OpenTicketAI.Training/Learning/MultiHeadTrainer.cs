using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Reflection;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Encoders.Quantization;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.FineTuning;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Trains the one multi-head network of docs/model-format.md: a bag of hashed n-gram embeddings and/or a frozen sentence
/// encoder's embedding (precomputed once per row) through W_enc, a ReLU hidden layer and a linear layer per head.
/// Deterministic for a seed: the result does not depend on the number of threads.
/// </summary>
public sealed class MultiHeadTrainer
{
    private static readonly SparseFeatures NoFeatures = new([], []);

    private readonly TrainerOptions _options;
    private readonly ParallelOptions _parallel;
    private readonly EncoderCache? _encoders;

    /// <param name="encoders">Where the encoder session comes from (shared with later loads); null opens one for this run.</param>
    public MultiHeadTrainer(TrainerOptions? options = null, EncoderCache? encoders = null)
    {
        _encoders = encoders;
        _options = options ?? new TrainerOptions();
        _options.Validate();
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
    }

    public TrainerOptions Options => _options;

    public static string TrainerVersion { get; } =
        typeof(MultiHeadTrainer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public TrainingResult Train(TrainingSet set, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var stopwatch = Stopwatch.StartNew();
        var mode = _options.EffectiveFeatures;
        var featurizer = mode == FeatureMode.Encoder ? null : new HashedNgramFeaturizer(_options.Featurizer);
        if ((long)_options.Featurizer.Buckets * _options.HiddenDimension > Array.MaxLength)
        {
            throw new ArgumentException($"An embedding of {_options.Featurizer.Buckets} buckets x {_options.HiddenDimension} does not fit in one array; use fewer buckets or a smaller hidden dimension.");
        }

        var heads = HeadLayout.Build(set);
        var rows = set.Rows.Where(row => heads.Any(head => head.Carries(row))).ToArray();
        var given = set.ValidationRows;
        var split = StratifiedSplit.Split(rows, set.Heads, given is null ? _options.ValidationFraction : 0, _options.TestFraction, _options.Seed);
        var trainRows = split.Train.Select(i => rows[i]).ToArray();
        var validationRows = given is null
            ? split.Validation.Select(i => rows[i]).ToArray()
            : given.Where(row => heads.Any(head => head.EncodeKnown(row) is not null)).ToArray();
        var toFeaturize = trainRows.Length + validationRows.Length;
        var frozen = _options.EncoderOrNull is { } encoderName ? OpenEncoder(encoderName) : null;
        DerivedEncoder? derived;
        try
        {
            derived = frozen is null ? null : Derive(frozen, trainRows, validationRows, heads, progress, cancellationToken);
        }
        catch
        {
            frozen?.Dispose();
            throw;
        }

        using var encoder = derived is null ? frozen : OpenDerived(derived, frozen!);
        var embeddings = encoder is null ? null : EmbedRows([.. trainRows, .. validationRows], encoder, progress, cancellationToken);
        var train = Encode(trainRows, heads, featurizer, embeddings, 0, progress, doneBefore: 0, toFeaturize, cancellationToken);
        var validation = Encode(validationRows, heads, featurizer, embeddings, trainRows.Length, progress, doneBefore: trainRows.Length, toFeaturize, cancellationToken, knownOnly: given is not null);
        for (var h = 0; h < heads.Length; h++)
        {
            if (!train.Any(row => row.Targets[h] is not null))
            {
                throw new InvalidOperationException($"Head '{heads[h].Name}' has no training rows after the validation/test split; add rows or lower the held-out fractions.");
            }
        }

        var run = new TrainingRun(_options, _parallel, heads, train, validation);
        var (network, bestEpoch) = run.Fit(progress, cancellationToken);
        network = new LinearPathTrainer(_options, _parallel).Fit(network, heads, train, validation, progress, cancellationToken);
        var calibrated = Calibrate(network, heads, validation, progress, cancellationToken);

        var manifest = new ModelManifest
        {
            FormatVersion = ModelManifest.CurrentFormatVersion,
            Name = _options.ModelName,
            Version = _options.ModelVersion,
            CreatedAt = DateTimeOffset.UtcNow,
            TrainerVersion = TrainerVersion,
            Featurizer = mode == FeatureMode.Encoder ? _options.Featurizer with { Kind = FeaturizerSettings.NoFeaturizer } : _options.Featurizer,
            Encoder = encoder?.ToSpec(),
            Graph = new GraphSpec
            {
                HiddenDimension = _options.HiddenDimension,
                EmbeddingInput = encoder is null ? null : EmbeddingInputName,
                EmbeddingDimension = encoder?.Dimension ?? 0,
            },
            Heads = calibrated.Specs,
            Training = new TrainingSummary
            {
                Rows = rows.Length + (given is null ? 0 : validationRows.Length),
                TrainRows = train.Length,
                ValidationRows = validation.Length,
                Seed = _options.Seed,
                Epochs = bestEpoch,
                Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 2),
                Sources = set.Sources,
                Encoder = derived is null ? null : new EncoderDerivation(
                    _options.Encoder!,
                    derived.FineTuning?.Layers ?? 0,
                    derived.FineTuning is null ? 0 : _options.FineTuneEpochs,
                    derived.FineTuning?.BestEpoch ?? 0,
                    derived.AllLayers),
                LabelCounts = heads.ToDictionary(
                    h => h.Name,
                    h => (IReadOnlyDictionary<string, int>)h.Labels.Zip(h.Counts).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal),
                    StringComparer.Ordinal),
            },
            License = _options.License,
        };

        return new TrainingResult(calibrated.Network, manifest, validationRows, split.Test.Select(i => rows[i]).ToArray(), run.History)
        {
            EncoderFiles = derived is null && encoder?.ModelPath is { } modelPath
                ? new Dictionary<string, string> { [SentenceEncoder.OnnxModelFile] = modelPath, [SentenceEncoder.OnnxVocabFile] = encoder.VocabPath! }
                : new Dictionary<string, string>(),
            DerivedEncoder = derived,
        };
    }

    /// <summary>The graph input the encoder embedding feeds.</summary>
    public const string EmbeddingInputName = "embedding";

    private SentenceEncoder OpenEncoder(string name)
    {
        var cores = _options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : _options.MaxDegreeOfParallelism;
        try
        {
            // One batch per core on single-threaded sessions: twice the rate of one batch on every core (docs/benchmarks.md).
            var options = new EncoderOptions { MaxTokens = _options.EncoderMaxTokens, BatchSize = _options.EncoderBatchSize, IntraOpThreads = 1, ParallelBatches = cores };
            return _encoders is null ? SentenceEncoder.Open(name, options) : _encoders.Open(name, options);
        }
        catch (EncoderException ex)
        {
            throw new ArgumentException($"Encoder '{name}': {ex.Message}", ex);
        }
    }

    /// <summary>The fine-tuned and/or all-layers encoder this run stores; null when the chosen encoder is used as it is.</summary>
    private DerivedEncoder? Derive(SentenceEncoder frozen, LabeledTicket[] trainRows, LabeledTicket[] validationRows, HeadLayout[] heads, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var allLayers = _options.EncoderLayers == EncoderLayers.All;
        if (_options.FineTuneLayers == 0 && !allLayers)
        {
            return null;
        }

        try
        {
            var (onnx, vocabulary) = DerivedEncoder.ReadSource(frozen);
            FineTuningReport? report = null;
            if (_options.FineTuneLayers > 0)
            {
                (onnx, report) = new EncoderFineTuner(_options, _parallel).Run(frozen, onnx, trainRows, validationRows, heads, progress, cancellationToken);
            }

            onnx = allLayers ? BertGraph.Parse(onnx).WithAllLayers() : onnx;

            // The float graph is tuned; an int8 choice gets the tuned graph quantised the same way.
            return new DerivedEncoder(frozen.Kind == SentenceEncoder.MiniLmInt8Kind ? DynamicQuantizer.Quantize(onnx) : onnx, vocabulary, report, allLayers);
        }
        catch (FineTuningException ex)
        {
            throw new ArgumentException($"Encoder '{_options.Encoder}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Opens the derived encoder through the same cache (its session then serves the export checks and later loads)
    /// from a scratch copy that is deleted once the session holds the graph.
    /// </summary>
    private SentenceEncoder OpenDerived(DerivedEncoder derived, SentenceEncoder frozen)
    {
        frozen.Dispose();
        var scratch = Directory.CreateTempSubdirectory("otai-finetune-");
        try
        {
            File.WriteAllBytes(Path.Combine(scratch.FullName, SentenceEncoder.OnnxModelFile), derived.Onnx);
            File.WriteAllBytes(Path.Combine(scratch.FullName, SentenceEncoder.OnnxVocabFile), derived.Vocabulary);
            return OpenEncoder(scratch.FullName);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Every training and validation row's embedding, computed once before training (stage "encode").</summary>
    private static float[][] EmbedRows(LabeledTicket[] rows, SentenceEncoder encoder, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new TrainingProgress(TrainingProgress.Encode, 0, rows.Length));
        var done = progress is null ? null : new Progress(done => progress.Report(new TrainingProgress(TrainingProgress.Encode, done, rows.Length)));
        return encoder.Encode(rows.Select(r => r.Text).ToArray(), done, cancellationToken);
    }

    /// <summary>Synchronous <see cref="IProgress{T}"/> (System.Progress posts to a context and could report out of order).</summary>
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    private EncodedRow[] Encode(
        LabeledTicket[] rows,
        HeadLayout[] heads,
        HashedNgramFeaturizer? featurizer,
        float[][]? embeddings,
        int embeddingOffset,
        IProgress<TrainingProgress>? progress,
        int doneBefore,
        int total,
        CancellationToken cancellationToken,
        bool knownOnly = false)
    {
        var encoded = new EncodedRow[rows.Length];
        var done = 0;
        var reportEvery = Math.Max(1, total / 100);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, rows.Length, parallel, i =>
        {
            var row = rows[i];
            encoded[i] = new EncodedRow(featurizer?.Featurize(row.Text) ?? NoFeatures, heads.Select(h => knownOnly ? h.EncodeKnown(row) : h.Encode(row)).ToArray(), embeddings?[embeddingOffset + i]);
            var count = Interlocked.Increment(ref done);
            if (count % reportEvery == 0)
            {
                progress?.Report(new TrainingProgress(TrainingProgress.Featurize, doneBefore + count, total));
            }
        });

        progress?.Report(new TrainingProgress(TrainingProgress.Featurize, doneBefore + rows.Length, total));
        return encoded;
    }

    private (TrainedNetwork Network, IReadOnlyList<HeadSpec> Specs) Calibrate(
        TrainedNetwork network,
        HeadLayout[] heads,
        EncodedRow[] validation,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        network = network.WithHalfPrecisionEmbedding();
        var logits = network.Logits(validation.Select(r => r.Features).ToArray(), TrainingRun.Embeddings(validation), _options.MaxDegreeOfParallelism);
        var weights = new List<HeadWeights>();
        var specs = new List<HeadSpec>();
        for (var h = 0; h < heads.Length; h++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var head = heads[h];
            var labels = head.Labels.Length;
            var carrying = Enumerable.Range(0, validation.Length).Where(i => validation[i].Targets[h] is not null).ToArray();
            var headLogits = carrying.SelectMany(i => logits[h].AsSpan(i * labels, labels).ToArray()).ToArray();
            var spec = new HeadSpec { Name = head.Name, Kind = head.Kind, Output = head.Output, Labels = head.Labels, Path = network.Heads[h].Linear?.PathName };
            var temperature = 1f;
            if (head.Kind == HeadKind.SingleLabel)
            {
                var targets = carrying.Select(i => validation[i].Targets[h]![0]).ToArray();
                temperature = Calibration.FitTemperature(headLogits, targets, labels);
                var confidences = new float[targets.Length];
                var correct = new bool[targets.Length];
                for (var r = 0; r < targets.Length; r++)
                {
                    var probabilities = headLogits.AsSpan(r * labels, labels);
                    NetworkMath.Activate(head.Kind, temperature, probabilities);
                    var top = TensorPrimitives.IndexOfMax(probabilities);
                    confidences[r] = probabilities[top];
                    correct[r] = top == targets[r];
                }

                spec = spec with { Temperature = double.Parse(temperature.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), ReviewThreshold = Calibration.ReviewThresholdOrBounds(confidences, correct, _options.TargetPrecision) };
            }
            else
            {
                TensorPrimitives.Sigmoid(headLogits, headLogits);
                var thresholds = new float[labels];
                for (var k = 0; k < labels; k++)
                {
                    var scores = carrying.Select((_, r) => headLogits[(r * labels) + k]).ToArray();
                    var positive = carrying.Select(i => validation[i].Targets[h]!.Contains(k)).ToArray();
                    // A few validation positives can put the F1-best cut near 0, which would attach rare tags to everything.
                    thresholds[k] = Math.Max(Calibration.F1Threshold(scores, positive), _options.MinimumTagThreshold);
                }

                spec = spec with { Thresholds = thresholds };
            }

            weights.Add(network.Heads[h] with { Temperature = temperature });
            specs.Add(spec);
            progress?.Report(new TrainingProgress(TrainingProgress.Calibrate, h + 1, heads.Length));
        }

        return (network.WithHeads(weights), specs);
    }
}
