using System.Globalization;
using System.Text;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Evaluation;

namespace OpenTicketAI.Training.Building;

/// <summary>Renders MODEL_CARD.md: what the model predicts, what it was trained on under which licence, and how well it does.</summary>
public static class ModelCard
{
    public const string FileName = "MODEL_CARD.md";

    public static string Render(ModelManifest manifest, EvaluationReport evaluation)
    {
        var card = new StringBuilder();
        card.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {manifest.Name} {manifest.Version}");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"Created {manifest.CreatedAt:yyyy-MM-dd HH:mm} UTC by Open Ticket AI trainer {manifest.TrainerVersion}.");
        var ngrams = manifest.Featurizer.Kind == FeaturizerSettings.NoFeaturizer
            ? "no n-grams"
            : $"hashed word 1-{manifest.Featurizer.WordNgrams}-grams and character {manifest.Featurizer.CharNgramMin}-{manifest.Featurizer.CharNgramMax}-grams ({manifest.Featurizer.Buckets:N0} buckets)";
        var encoder = manifest.Encoder is { } e ? $"{e.Kind} ({e.Dimension}-d, {e.MaxTokens} tokens, sha256 {e.Sha256[..12]}{Derivation(manifest.Training.Encoder)})" : "none";
        card.AppendLine(CultureInfo.InvariantCulture, $"Features: {ngrams}, hidden layer of {manifest.Graph.HiddenDimension}; encoder: {encoder}.");
        card.AppendLine();
        card.AppendLine("## Heads");
        card.AppendLine();
        card.AppendLine("| head | kind | labels | temperature | review below |");
        card.AppendLine("|---|---|---|---|---|");
        foreach (var head in manifest.Heads)
        {
            var labels = head.Labels.Count <= 12 ? string.Join(", ", head.Labels) : $"{head.Labels.Count} labels";
            var review = head.ReviewThreshold is { } t ? t.ToString("0.00", CultureInfo.InvariantCulture) : "-";
            card.AppendLine(CultureInfo.InvariantCulture, $"| {head.Name} | {head.Kind} | {labels} | {head.Temperature:0.00} | {review} |");
        }

        card.AppendLine();
        card.AppendLine("## Training data");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"{manifest.Training.Rows:N0} rows ({manifest.Training.TrainRows:N0} train, {manifest.Training.ValidationRows:N0} validation for early stopping and calibration, the rest held out for the metrics below), seed {manifest.Training.Seed}, {manifest.Training.Epochs} epochs in {manifest.Training.Seconds:0.0} s.");
        card.AppendLine();
        card.AppendLine("| source | rows | SHA-256 |");
        card.AppendLine("|---|---|---|");
        foreach (var source in manifest.Training.Sources)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"| {source.Path} | {source.Rows:N0} | `{source.Sha256[..Math.Min(16, source.Sha256.Length)]}…` |");
        }

        if (manifest.Training.LanguageCheck is { } check)
        {
            card.AppendLine();
            var changes = check.Changes.Count == 0 ? "" : $" ({string.Join(", ", check.Changes.Take(8).Select(c => $"{c.Key} {c.Value:N0}"))})";
            var taken = check.Mode == "identify"
                ? $"`{check.Head}` labels come from the language identifier (ISO 639-1, lowercase), not from the data's columns"
                : $"`{check.Head}` labels the language identifier contradicts were dropped";
            card.AppendLine(CultureInfo.InvariantCulture, $"Language check: {taken}. Of {check.Rows:N0} rows, {check.Disagreed:N0} carried a language label their text contradicts{changes}; {check.Undetermined:N0} were too short or mixed to tell ({(check.Mode == "identify" ? "no label" : "label kept")}).");
        }

        card.AppendLine();
        card.AppendLine("## Licence");
        card.AppendLine();
        card.AppendLine(manifest.License ?? "Not stated: the model inherits the licence of its training data.");
        card.AppendLine();
        card.AppendLine("## Held-out metrics");
        card.AppendLine();
        card.AppendLine("| head | rows | accuracy | majority baseline | macro-F1 | ECE | coverage at 90% precision |");
        card.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var head in evaluation.SingleLabelHeads)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"| {head.Head} | {head.Rows:N0} | {head.Accuracy:0.000} | {head.MajorityBaseline:0.000} | {head.MacroF1:0.000} | {head.ExpectedCalibrationError:0.000} | {head.CoverageAt90Precision:0.000} |");
        }

        foreach (var head in evaluation.MultiLabelHeads)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"| {head.Head} (multi-label) | {head.Rows:N0} | micro-F1 {head.MicroF1:0.000} | - | {head.MacroF1:0.000} | - | - |");
        }

        card.AppendLine();
        card.AppendLine("The full report with per-class scores, confusion matrices and reliability diagrams is in `eval.html` (`eval.json` for machines).");
        card.AppendLine();
        card.AppendLine("## Intended use and limits");
        card.AppendLine();
        card.AppendLine("Suggests queue, priority and the other heads for new help-desk tickets; predictions whose confidence is below a head's review threshold are returned with `needsReview: true` and should be checked by an agent. Accuracy on your own tickets can differ from the figures above: retrain on your history with `otai train` and read the evaluation before you let rules apply predictions automatically.");
        return card.ToString();
    }

    private static string Derivation(EncoderDerivation? derivation) => derivation switch
    {
        null => "",
        { FineTunedLayers: > 0 } d => $"; {d.Source} with its top {d.FineTunedLayers} layers fine-tuned, epoch {d.BestEpoch} of {d.FineTuneEpochs}{(d.AllLayers ? ", every layer pooled" : "")}",
        var d => $"; {d.Source} with every layer pooled",
    };
}
