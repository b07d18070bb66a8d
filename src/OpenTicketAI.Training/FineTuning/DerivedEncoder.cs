using OpenTicketAI.Core.Encoders;

namespace OpenTicketAI.Training.FineTuning;

/// <summary>
/// An encoder a training run made from the chosen one — fine-tuned (<see cref="FineTuning"/>) and/or emitting every
/// layer's states (<see cref="AllLayers"/>) — stored in the model directory as <c>encoder.onnx</c> + <c>vocab.txt</c>.
/// </summary>
public sealed record DerivedEncoder(byte[] Onnx, byte[] Vocabulary, FineTuningReport? FineTuning, bool AllLayers)
{
    /// <summary>The graph and vocabulary of <paramref name="encoder"/>: the packaged MiniLM's resources (the float graph, also for <c>minilm-int8</c>) or the user's files.</summary>
    public static (byte[] Onnx, byte[] Vocabulary) ReadSource(SentenceEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        if (encoder.ModelPath is null)
        {
            using var vocab = MiniLmPackage.OpenVocab();
            using var copy = new MemoryStream();
            vocab.CopyTo(copy);
            return (MiniLmPackage.ReadModel(), copy.ToArray());
        }

        return (File.ReadAllBytes(encoder.ModelPath), File.ReadAllBytes(encoder.VocabPath!));
    }
}
