using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using OpenTicketAI.Cli.Commands;

var root = new RootCommand("otai: train, evaluate and run Open Ticket AI ticket classifiers")
{
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ApiKeyCommand.Create(),
    IndexCommand.Create(),
    UpgradeCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // A usage mistake is an error the user can fix: one line and exit code 2, like the commands' own errors.
    var path = new List<string>();
    for (var result = parse.CommandResult; result.Command != root; result = (CommandResult)result.Parent!)
    {
        path.Insert(0, result.Command.Name);
    }

    var command = string.Join(' ', path.Prepend("otai"));
    await Console.Error.WriteLineAsync($"error: {string.Join("; ", parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.')))} (see '{command} --help')");
    return CommandErrors.BadInput;
}

return await parse.InvokeAsync();

// System.CommandLine lists the allowed values on separate lines; the error must stay one line.
static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
