using System.Data.Common;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Training.Data;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary>Turns the errors a user can fix into one clear line and exit code 2; anything else is a bug (exit 1).</summary>
internal static class CommandErrors
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is TrainingDataException or ModelLoadException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or HelpDeskHistoryException or DbException)
        {
            AnsiConsole.Console.Profile.Out.Writer.Flush();
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
