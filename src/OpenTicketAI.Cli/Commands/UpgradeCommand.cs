using System.CommandLine;
using OpenTicketAI.Training.Export;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary><c>otai upgrade</c>: writes a model's graph again in the current exporter's layout, same weights and answers.</summary>
internal static class UpgradeCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Model directory.", Required = true };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Where to write the upgraded model (default: replace the model directory, atomically)." };

        var command = new Command("upgrade", "Re-export a model trained by an earlier version in the current graph layout (faster to serve); its outputs must equal the old graph's before anything is written.");
        command.Options.Add(model);
        command.Options.Add(output);

        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(() =>
        {
            var source = parse.GetValue(model)!.FullName;
            var target = parse.GetValue(output)?.FullName ?? source;
            var upgrade = GraphUpgrader.Upgrade(source, target);
            AnsiConsole.MarkupLineInterpolated(
                $"graph nodes {upgrade.NodesBefore} -> {upgrade.NodesAfter}; outputs equal to {upgrade.MaxDifference:G3} on {upgrade.ProbeRows} probe rows");
            if (upgrade.Written)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {target}");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"{target} is already in the current layout; nothing written");
            }

            return Task.FromResult(CommandErrors.Ok);
        }));
        return command;
    }
}
