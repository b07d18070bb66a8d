using System.CommandLine;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary><c>otai eval</c>: scores a model directory on labelled tickets; writes eval.json and eval.html.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Model directory.", Required = true };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Where to write eval.json and eval.html (default: ./eval-<model name>)." };

        var command = new Command("eval", "Evaluate a model on labelled tickets: accuracy, macro-F1, per-class scores, confusion matrix, calibration, coverage at 90% precision.");
        data.AddTo(command);
        command.Options.Add(model);
        command.Options.Add(output);

        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var (recipe, baseDirectory, _) = await data.ReadRecipeAsync(parse, cancellationToken);
            using var classifier = TicketClassifier.Load(parse.GetValue(model)!.FullName);
            var set = await TrainingDataLoader.LoadAsync(recipe, baseDirectory, cancellationToken);
            var report = ModelEvaluator.Evaluate(classifier, set.Rows, cancellationToken: cancellationToken);
            if (report.SingleLabelHeads.Count + report.MultiLabelHeads.Count == 0)
            {
                throw new TrainingDataException($"the data carries none of the model's heads ({string.Join(", ", classifier.Manifest.Heads.Select(h => h.Name))})");
            }

            var directory = parse.GetValue(output)?.FullName ?? Path.GetFullPath($"eval-{classifier.Manifest.Name}");
            Directory.CreateDirectory(directory);
            await EvaluationReportWriter.WriteAsync(report, directory, cancellationToken);
            ReportTable.Write(report);
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {Path.Combine(directory, EvaluationReportWriter.JsonFile)} and {EvaluationReportWriter.HtmlFile}");
            return CommandErrors.Ok;
        }));
        return command;
    }
}
