using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Testing;

/// <summary>Minimal model manifests for tests of code that reads only heads or training facts.</summary>
public static class Manifests
{
    public static ModelManifest With(IReadOnlyList<HeadSpec> heads, TrainingSummary? training = null) => new()
    {
        FormatVersion = ModelManifest.CurrentFormatVersion,
        Name = "m",
        Version = "1",
        CreatedAt = DateTimeOffset.UnixEpoch,
        TrainerVersion = "test",
        Featurizer = new FeaturizerSettings(),
        Graph = new GraphSpec { HiddenDimension = 2 },
        Heads = heads,
        Training = training ?? new TrainingSummary { Rows = 1, TrainRows = 1, ValidationRows = 0, Seed = 1 },
    };
}
