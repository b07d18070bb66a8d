using OpenTicketAI.Training.Learning;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary>Shows training progress: bars with ETA on a terminal, one line per stage and epoch when output is redirected.</summary>
internal static class TrainingProgressView
{
    public static async Task<T> RunAsync<T>(Func<IProgress<TrainingProgress>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await Task.Run(() => work(new PlainProgress()));
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                result = await Task.Run(() => work(new BarProgress(context, bars)));
                foreach (var bar in bars.Values)
                {
                    bar.Value = bar.MaxValue;
                }
            });
        return result;
    }

    /// <summary>One bar per stage, added when the stage first reports, so runs without an encoder show no encode bar.</summary>
    private sealed class BarProgress(ProgressContext context, Dictionary<string, ProgressTask> bars) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (!bars.TryGetValue(value.Stage, out var bar))
            {
                bar = context.AddTask(value.Stage);
                bars[value.Stage] = bar;
            }

            bar.MaxValue = Math.Max(1, value.Total);
            bar.Value = value.Done;
            if (value.Stage is TrainingProgress.Train or TrainingProgress.FineTune && value.ValidationLoss is { } loss)
            {
                bar.Description = $"{value.Stage} (epoch {value.Epoch}, validation loss {loss:0.000})";
            }

            if (value.Done >= value.Total)
            {
                bar.Value = bar.MaxValue;
            }
        }
    }

    private sealed class PlainProgress : IProgress<TrainingProgress>
    {
        private string? _stage;
        private int _epoch;

        public void Report(TrainingProgress value)
        {
            if (value.Stage != _stage)
            {
                _stage = value.Stage;
                Console.Error.WriteLine($"{value.Stage}: {value.Total} steps");
            }

            if (value.Stage is TrainingProgress.Train or TrainingProgress.FineTune && value.Epoch != _epoch && value.ValidationLoss is not null)
            {
                _epoch = value.Epoch;
                var accuracy = value.ValidationAccuracy is { } a ? $", validation accuracy {a:0.0000}" : "";
                Console.Error.WriteLine($"  epoch {value.Epoch}: train loss {value.TrainLoss:0.0000}, validation loss {value.ValidationLoss:0.0000}{accuracy}");
            }
        }
    }
}
