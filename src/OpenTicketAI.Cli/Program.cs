using System.CommandLine;
using System.CommandLine.Invocation;
using OpenTicketAI.Cli.Commands;

var root = new RootCommand("otai: train, evaluate and run Open Ticket AI ticket classifiers")
{
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ApiKeyCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // A usage mistake is an error the user can fix: one line and exit code 2, like the commands' own errors.
    var command = parse.CommandResult.Command == root ? "otai" : $"otai {parse.CommandResult.Command.Name}";
    await Console.Error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))} (see '{command} --help')");
    return CommandErrors.BadInput;
}

return await parse.InvokeAsync();
