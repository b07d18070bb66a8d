#:project ../../src/OpenTicketAI.Training/OpenTicketAI.Training.csproj
#:property PublishAot=false
// Models scored on the test rows of a recipe's split as the current code draws it: trains the recipe once (its seed; the
// trained copy is scored too, as "retrained"), then evaluates every given model directory on exactly those rows.
// A model trained from an older split may have trained on some of them, which can only flatter it.
// Usage: dotnet run -c Release bench/models/SameTestRows.cs -- RECIPE MODEL_DIR [MODEL_DIR ...]
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;
using OpenTicketAI.Training.Learning;

var recipePath = Path.GetFullPath(args[0]);
var recipe = await DataRecipe.LoadAsync(recipePath);
var set = await TrainingDataLoader.LoadAsync(recipe, Path.GetDirectoryName(recipePath)!);
var options = TrainerOptionsOverrides.FromRecipe(recipe, recipePath);
var target = Path.Combine(Path.GetTempPath(), "otai-same-test-rows");
var outcome = ModelBuilder.Build(set, options, target);
var rows = outcome.Training.TestRows;
Console.WriteLine($"{rows.Count} test rows (seed {options.Seed})");
foreach (var (name, directory) in args.Skip(1).Select(d => (d, d)).Prepend(("retrained", target)))
{
    using var classifier = TicketClassifier.Load(directory);
    var report = ModelEvaluator.Evaluate(classifier, rows);
    var single = report.SingleLabelHeads.Select(h => $"{h.Head} {h.Accuracy:F3} ({h.Rows})");
    var multi = report.MultiLabelHeads.Select(h => $"{h.Head} micro-F1 {h.MicroF1:F3}");
    Console.WriteLine($"{name}: {string.Join(", ", single.Concat(multi))}");
}
