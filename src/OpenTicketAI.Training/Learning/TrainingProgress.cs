namespace OpenTicketAI.Training.Learning;

/// <summary>
/// Where a training run is. <see cref="Done"/> of <see cref="Total"/> counts rows while encoding (sentence encoder) and featurizing, batches over all
/// <see cref="TrainerOptions.MaxEpochs"/> while training (early stopping may end sooner) and heads while calibrating.
/// </summary>
public sealed record TrainingProgress(
    string Stage,
    int Done,
    int Total,
    int Epoch = 0,
    double? TrainLoss = null,
    double? ValidationLoss = null,
    double? ValidationAccuracy = null)
{
    public const string FineTune = "fine-tune";
    public const string Encode = "encode";
    public const string Featurize = "featurize";
    public const string Train = "train";
    public const string Linear = "linear";
    public const string Calibrate = "calibrate";
}
