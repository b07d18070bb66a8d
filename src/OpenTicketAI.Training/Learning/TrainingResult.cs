using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.FineTuning;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Learning;

/// <summary>
/// A trained network and its manifest. <see cref="ModelManifest.Metrics"/> is left empty for the caller to fill after
/// evaluating the exported model on <see cref="TestRows"/>, which training, early stopping and calibration never saw.
/// </summary>
public sealed record TrainingResult(
    TrainedNetwork Network,
    ModelManifest Manifest,
    IReadOnlyList<LabeledTicket> ValidationRows,
    IReadOnlyList<LabeledTicket> TestRows,
    IReadOnlyList<EpochSummary> History)
{
    /// <summary>
    /// Files a model directory must hold besides the graph: for a user's own ONNX encoder, <c>encoder.onnx</c> and
    /// <c>vocab.txt</c> (file name → source path); empty otherwise (the packaged MiniLM is not copied).
    /// </summary>
    public IReadOnlyDictionary<string, string> EncoderFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The encoder this run derived (<see cref="TrainerOptions.FineTuneLayers"/>, <see cref="TrainerOptions.EncoderLayers"/>),
    /// stored in the model directory as a user's own encoder; null when the chosen encoder is used as it is.
    /// </summary>
    public DerivedEncoder? DerivedEncoder { get; init; }

    /// <summary>The bytes of <see cref="EncoderFiles"/> or of <see cref="DerivedEncoder"/>, as <see cref="Export.ModelWriter"/> extra files.</summary>
    public Dictionary<string, byte[]> ReadEncoderFiles() => DerivedEncoder is { } tuned
        ? new Dictionary<string, byte[]>(StringComparer.Ordinal) { [SentenceEncoder.OnnxModelFile] = tuned.Onnx, [SentenceEncoder.OnnxVocabFile] = tuned.Vocabulary }
        : EncoderFiles.ToDictionary(f => f.Key, f => File.ReadAllBytes(f.Value), StringComparer.Ordinal);
}

/// <summary>
/// Losses after one epoch, each head's loss divided by its prior loss: <see cref="TrainLoss"/> per (row, carried head)
/// pair, <see cref="ValidationLoss"/> (the early-stopping criterion) averaged per head; null without validation rows.
/// </summary>
public sealed record EpochSummary(int Epoch, double TrainLoss, double? ValidationLoss);
