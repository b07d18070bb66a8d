using OpenTicketAI.Core.Encoders;
using System.Text;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;
using OpenTicketAI.Training.Export;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Building;

/// <summary>What a finished build wrote: the manifest (with held-out metrics) and the evaluation of the exported graph.</summary>
public sealed record ModelBuildOutcome(ModelManifest Manifest, EvaluationReport Evaluation, TrainingResult Training, string Directory);

/// <summary>
/// Trains a model, exports it, evaluates the exported ONNX graph (not the trainer's copy) on the held-out test rows,
/// and writes the model directory with its card and reports in one atomic step.
/// </summary>
public static class ModelBuilder
{
    public static ModelBuildOutcome Build(
        TrainingSet set,
        TrainerOptions options,
        string targetDirectory,
        string? recipeJson = null,
        IProgress<TrainingProgress>? progress = null,
        EncoderCache? encoders = null,
        CancellationToken cancellationToken = default)
    {
        // One encoder session for training, evaluation and the write checks.
        using var ownEncoders = encoders is null ? new EncoderCache() : null;
        encoders ??= ownEncoders;
        var training = new MultiHeadTrainer(options, encoders).Train(set, progress, cancellationToken);
        var graph = OnnxExporter.Export(training.Network, training.Manifest);

        var encoderFiles = training.ReadEncoderFiles();
        var scratch = Directory.CreateTempSubdirectory("otai-build-");
        try
        {
            ModelWriter.Write(graph, Path.Combine(scratch.FullName, "model"), training.Manifest, encoderFiles, encoders);
            EvaluationReport evaluation;
            using (var classifier = TicketClassifier.Load(Path.Combine(scratch.FullName, "model"), new ClassifierOptions { Encoders = encoders }))
            {
                evaluation = ModelEvaluator.Evaluate(classifier, training.TestRows, cancellationToken: cancellationToken);
            }

            var manifest = training.Manifest with
            {
                Metrics = evaluation.ToHeadMetrics(),
                Training = training.Manifest.Training with { LanguageCheck = set.LanguageCheck },
            };
            var files = new Dictionary<string, byte[]>(encoderFiles)
            {
                [EvaluationReportWriter.JsonFile] = Encoding.UTF8.GetBytes(EvaluationReportWriter.ToJson(evaluation)),
                [EvaluationReportWriter.HtmlFile] = Encoding.UTF8.GetBytes(EvaluationReportWriter.ToHtml(evaluation)),
                [ModelCard.FileName] = Encoding.UTF8.GetBytes(ModelCard.Render(manifest, evaluation)),
            };
            if (recipeJson is not null)
            {
                files["recipe.json"] = Encoding.UTF8.GetBytes(recipeJson);
            }

            cancellationToken.ThrowIfCancellationRequested();
            ModelWriter.Write(graph, targetDirectory, manifest, files, encoders);
            return new ModelBuildOutcome(manifest, evaluation, training, Path.GetFullPath(targetDirectory));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
