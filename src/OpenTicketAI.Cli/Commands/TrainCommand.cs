using System.CommandLine;
using System.Diagnostics;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary><c>otai train</c>: labelled tickets in, a model directory out (written atomically).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions(withValidation: true);
        var feedback = new FeedbackSource();
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Model directory to write (replaced atomically).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (default: the recipe's name or the output directory's name)." };
        var version = new Option<string?>("--model-version") { Description = "Model version (default: a UTC timestamp)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed; the same seed and data give the same model." };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs (early stopping may end sooner)." };
        var hidden = new Option<int?>("--hidden") { Description = "Width of the shared hidden layer." };
        var buckets = new Option<int?>("--buckets") { Description = "Hash buckets for n-gram features (model size = buckets x hidden x 4 bytes)." };
        var encoder = new Option<string?>("--encoder")
        {
            Description = "Sentence encoder: none (default), minilm (all-MiniLM-L6-v2, bundled), minilm-int8 (the same, int8-quantised at load: about 3x faster), or a directory with encoder.onnx + vocab.txt / an .onnx file with vocab.txt beside it (copied into the model).",
        };
        var features = new Option<FeatureMode?>("--features")
        {
            Description = "What feeds the classifier: ngrams, encoder or hybrid (default: hybrid with --encoder, else ngrams).",
        };
        var fineTune = new Option<int?>("--fine-tune-layers")
        {
            Description = "Fine-tune the encoder's top N layers on the single-label heads before training the classifier (default 0: frozen); the tuned encoder is stored in the model.",
        };
        var encoderLayers = new Option<EncoderLayers?>("--encoder-layers")
        {
            Description = "Encoder states pooled into the embedding: last (default) or all (every layer's, concatenated; the encoder copy is stored in the model).",
        };
        var linear = new Option<LinearPath?>("--linear")
        {
            Description = "Wide linear path of single-label heads: auto (default: per head linear, unless the network alone or both summed are significantly better on the validation rows), linear, sum or off.",
        };
        var linearC = new Option<double?>("--linear-c") { Description = "Inverse L2 strength of the linear path (default: 1, 10 and 100 tried on the validation rows)." };
        var license = new Option<string?>("--license") { Description = "Licence the model inherits from its training data (goes into the model card)." };

        var command = new Command("train", "Train a multi-head ticket classifier and write a model directory with its evaluation.");
        data.AddTo(command);
        feedback.AddTo(command);
        foreach (var option in new Option[] { output, name, version, seed, epochs, hidden, buckets, encoder, features, encoderLayers, fineTune, linear, linearC, license })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var fromFeedback = feedback.IsRequested(parse);
            var (recipe, baseDirectory, recipePath) = fromFeedback && !data.HasFiles(parse)
                ? (null, Directory.GetCurrentDirectory(), "feedback store")
                : await data.ReadRecipeAsync(parse, cancellationToken);
            var target = parse.GetValue(output)!;
            EnsureReplaceable(target);
            var options = recipe is null ? new TrainerOptions() : TrainerOptionsOverrides.FromRecipe(recipe, recipePath);
            options = options with
            {
                ModelName = parse.GetValue(name) ?? (recipe is null || recipe.Name == "command-line" ? target.Name : recipe.Name),
                ModelVersion = parse.GetValue(version) ?? DateTime.UtcNow.ToString("yyyy.MM.dd.HHmmss", System.Globalization.CultureInfo.InvariantCulture),
                Seed = parse.GetValue(seed) ?? options.Seed,
                MaxEpochs = parse.GetValue(epochs) ?? options.MaxEpochs,
                HiddenDimension = parse.GetValue(hidden) ?? options.HiddenDimension,
                License = parse.GetValue(license) ?? options.License,
                Featurizer = options.Featurizer with { Buckets = parse.GetValue(buckets) ?? options.Featurizer.Buckets },
                Encoder = parse.GetValue(encoder) ?? options.Encoder,
                Features = parse.GetValue(features) ?? options.Features,
                FineTuneLayers = parse.GetValue(fineTune) ?? options.FineTuneLayers,
                EncoderLayers = parse.GetValue(encoderLayers) ?? options.EncoderLayers,
                Linear = parse.GetValue(linear) ?? options.Linear,
                LinearC = parse.GetValue(linearC) ?? options.LinearC,
            };

            var clock = Stopwatch.StartNew();
            var set = recipe is null ? null : await TrainingDataLoader.LoadAsync(recipe, baseDirectory, cancellationToken);
            if (fromFeedback)
            {
                var tickets = await feedback.ReadAsync(parse, cancellationToken);
                set = FeedbackTickets.Combine(set, tickets);
                Console.Error.WriteLine($"read {tickets.Count:N0} labelled tickets from the feedback store");
            }

            if (set is null)
            {
                throw new TrainingDataException("give --data, --recipe or --from-feedback");
            }

            Console.Error.WriteLine($"loaded {set.Rows.Count:N0} rows for heads {string.Join(", ", set.Heads.Select(h => h.Name))} in {clock.Elapsed.TotalSeconds:0.0} s");

            var outcome = await TrainingProgressView.RunAsync(progress =>
                ModelBuilder.Build(set, options, target.FullName, recipe?.ToJson(), progress, cancellationToken: cancellationToken));

            ReportTable.Write(outcome.Evaluation);
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.Directory} ({outcome.Manifest.Name} {outcome.Manifest.Version}) in {clock.Elapsed.TotalSeconds:0.0} s");
            return CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The model write replaces the whole --out directory, so it must be new, empty or an earlier model (has model.json);
    /// never, say, "." holding the training data.
    /// </summary>
    private static void EnsureReplaceable(DirectoryInfo target)
    {
        if (target.Exists && target.EnumerateFileSystemInfos().Any() && !File.Exists(Path.Combine(target.FullName, ModelDirectory.ManifestFile)))
        {
            throw new ArgumentException(
                $"{target.FullName} is not empty and holds no {ModelDirectory.ManifestFile}; --out replaces the whole directory, so give a new or empty directory or an earlier model's");
        }
    }
}
