using System.CommandLine;
using OpenTicketAI.Cli.Commands;

var root = new RootCommand("otai: train, evaluate and run Open Ticket AI ticket classifiers")
{
    TrainCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
