using System.Text.Json.Serialization;

namespace OpenTicketAI.Core.Models;

/// <summary>The contents of <c>model.json</c>: everything needed to turn ticket text into labels with <c>model.onnx</c>.</summary>
public sealed record ModelManifest
{
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string TrainerVersion { get; init; }
    public required FeaturizerSettings Featurizer { get; init; }
    public EncoderSpec? Encoder { get; init; }
    public required GraphSpec Graph { get; init; }
    public required IReadOnlyList<HeadSpec> Heads { get; init; }
    public required TrainingSummary Training { get; init; }
    public IReadOnlyDictionary<string, HeadMetrics> Metrics { get; init; } = new Dictionary<string, HeadMetrics>();
    public string? License { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<HeadKind>))]
public enum HeadKind
{
    SingleLabel,
    MultiLabel,
}

/// <summary>One output of the graph. Single-label heads output calibrated softmax probabilities; multi-label heads independent sigmoid scores.</summary>
public sealed record HeadSpec
{
    public required string Name { get; init; }
    public required HeadKind Kind { get; init; }
    public required string Output { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Where the head's logits come from: null (the network), <c>linear</c> or <c>network+linear</c>; informational, the graph holds it.</summary>
    public string? Path { get; init; }

    /// <summary>Softmax temperature found on validation data; already applied inside the graph.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Multi-label only: per-label decision thresholds, in <see cref="Labels"/> order.</summary>
    public IReadOnlyList<float>? Thresholds { get; init; }

    /// <summary>Single-label only: below this confidence a prediction needs review.</summary>
    public float? ReviewThreshold { get; init; }
}

/// <summary>How text becomes hashed sparse features; the inference featurizer must match the trainer's bit for bit.</summary>
public sealed record FeaturizerSettings
{
    /// <summary>The n-gram featurizer; the only kind besides <see cref="NoFeaturizer"/>.</summary>
    public const string HashedNgrams = "hashed-ngrams";

    /// <summary>Encoder-only models: no n-gram features (the graph's feature inputs are still declared but unused).</summary>
    public const string NoFeaturizer = "none";

    public string Kind { get; init; } = HashedNgrams;
    public int Buckets { get; init; } = 1 << 17;
    public uint HashSeed { get; init; } = 0x5EED;
    public int WordNgrams { get; init; } = 2;
    public int CharNgramMin { get; init; } = 3;
    public int CharNgramMax { get; init; } = 5;
    public float SubjectWeight { get; init; } = 2.0f;
    public int MaxTextChars { get; init; } = 20_000;
    public bool Lowercase { get; init; } = true;

    /// <summary>
    /// Words and word n-grams hash into the lower half of the buckets, character n-grams into the upper half, so the
    /// linear path can L2-normalise the two blocks apart (as a word and a char TF-IDF side by side). False in models
    /// trained before it: one shared range.
    /// </summary>
    public bool SeparateWordBuckets { get; init; }

    /// <summary>Buckets [0, this) hold word n-grams when <see cref="SeparateWordBuckets"/>; 0 when all buckets are shared.</summary>
    public int WordBucketCount() => SeparateWordBuckets ? Buckets / 2 : 0;
}

/// <summary>A frozen sentence encoder whose pooled embedding is fed to the classifier as input <see cref="GraphSpec.EmbeddingInput"/>.</summary>
public sealed record EncoderSpec
{
    public required string Kind { get; init; }
    public required string ModelFile { get; init; }
    public required string VocabFile { get; init; }
    public required string Sha256 { get; init; }
    public required int Dimension { get; init; }
    public int MaxTokens { get; init; } = 256;
    public string Pooling { get; init; } = "mean";
}

/// <summary>Names and sizes of the classifier graph's inputs.</summary>
public sealed record GraphSpec
{
    /// <summary>
    /// The exporter's graph layout, stored as the ONNX model_version: 2 has the linear heads' tables in one initializer and
    /// the bags as batched MatMuls; graphs written before carry 1 and give the same answers, more slowly (<c>otai upgrade</c>).
    /// </summary>
    public const long CurrentLayout = 2;

    public string File { get; init; } = "model.onnx";
    public string FeatureIdsInput { get; init; } = "feature_ids";
    public string FeatureWeightsInput { get; init; } = "feature_weights";
    public string? EmbeddingInput { get; init; }
    public int EmbeddingDimension { get; init; }
    public required int HiddenDimension { get; init; }
    public int Opset { get; init; } = 17;
}

public sealed record TrainingSummary
{
    public required int Rows { get; init; }
    public required int TrainRows { get; init; }
    public required int ValidationRows { get; init; }
    public required int Seed { get; init; }
    public int Epochs { get; init; }
    public double Seconds { get; init; }
    public IReadOnlyList<SourceSummary> Sources { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> LabelCounts { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    /// <summary>How the stored encoder was derived from the chosen one; null when it is used as it is.</summary>
    public EncoderDerivation? Encoder { get; init; }

    /// <summary>How the training rows' language labels were checked against their text; null when they were not.</summary>
    public LanguageCheckSummary? LanguageCheck { get; init; }
}

/// <summary>
/// The language identifier's check of the <see cref="Head"/> labels: of <see cref="Rows"/> rows, <see cref="Disagreed"/>
/// carried a label the text contradicts (<see cref="Changes"/>: "de→en" → rows) and <see cref="Undetermined"/> were too
/// short or mixed to tell. <see cref="Mode"/> <c>identify</c> labels every row from its text; <c>flag</c> drops only the
/// contradicted labels.
/// </summary>
public sealed record LanguageCheckSummary(string Head, string Mode, int Rows, int Disagreed, int Undetermined, IReadOnlyDictionary<string, int> Changes);

/// <summary>
/// The encoder a training run stored: <see cref="Source"/> (<c>minilm</c> or the path given) with its top
/// <see cref="FineTunedLayers"/> fine-tuned (best of <see cref="FineTuneEpochs"/> epochs: <see cref="BestEpoch"/>, 0 = frozen)
/// and/or every layer pooled (<see cref="AllLayers"/>).
/// </summary>
public sealed record EncoderDerivation(string Source, int FineTunedLayers, int FineTuneEpochs, int BestEpoch, bool AllLayers);

public sealed record SourceSummary(string Path, string Sha256, int Rows);

/// <summary>Held-out metrics of one head; fields that do not apply to the head's kind are null.</summary>
public sealed record HeadMetrics
{
    public int Rows { get; init; }
    public double? Accuracy { get; init; }
    public double? MacroF1 { get; init; }
    public double? MicroF1 { get; init; }
    public double? ExpectedCalibrationError { get; init; }
    public double? CoverageAt90Precision { get; init; }
    public double? MajorityBaseline { get; init; }
}
