using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Cli.Commands;

/// <summary><c>otai predict</c>: tickets from a CSV or JSONL file in, one JSON line of predictions per ticket out.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Model directory.", Required = true };
        var input = new Option<FileInfo>("--input", "-i") { Description = "CSV or JSONL file of tickets.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "JSONL file to write (default: standard output). Written to a temp file, then moved into place." };
        var text = new Option<string[]>("--text") { Description = "Text columns, subject first (default: subject,body)." };
        var id = new Option<string?>("--id") { Description = "Column holding the ticket id, echoed in each output line." };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file extension)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Tickets read and written per step (scored in parallel chunks).", DefaultValueFactory = _ => 1024 };

        var command = new Command("predict", "Classify tickets from a file; writes JSON lines.") { model, input, output, text, id, format, batchSize };
        command.SetAction((parse, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var size = parse.GetValue(batchSize);
            if (size is < 1 or > 10_000)
            {
                throw new ArgumentException("--batch-size must be between 1 and 10000");
            }

            if (parse.GetValue(output) is { Directory.Exists: false } missing)
            {
                throw new ArgumentException($"{missing.FullName}: the directory {missing.DirectoryName} does not exist");
            }

            using var classifier = TicketClassifier.Load(parse.GetValue(model)!.FullName);
            var tickets = await UnlabeledTickets.ReadAsync(parse.GetValue(input)!.FullName, parse.GetValue(text), parse.GetValue(id), parse.GetValue(format), cancellationToken);

            var target = parse.GetValue(output);
            var clock = Stopwatch.StartNew();
            if (target is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                await WriteAsync(classifier, tickets, size, stdout, cancellationToken);
            }
            else
            {
                var temporary = target.FullName + $".{Guid.NewGuid():N}.tmp";
                try
                {
                    await using (var file = File.Create(temporary))
                    {
                        await WriteAsync(classifier, tickets, size, file, cancellationToken);
                    }

                    File.Move(temporary, target.FullName, overwrite: true);
                }
                finally
                {
                    File.Delete(temporary);
                }
            }

            Console.Error.WriteLine($"predicted {tickets.Count:N0} tickets in {clock.Elapsed.TotalSeconds:0.00} s ({tickets.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} tickets/s)");
            return CommandErrors.Ok;
        }));
        return command;
    }

    /// <summary>Like the service, <c>language</c> comes from the language identifier (default languages), not the model's head.</summary>
    private static async Task WriteAsync(TicketClassifier classifier, IReadOnlyList<LabeledTicket> tickets, int batchSize, Stream stream, CancellationToken cancellationToken)
    {
        var language = new LanguageIdentifier(new LanguageOptions());
        await using var writer = new Utf8JsonWriter(stream);
        for (var start = 0; start < tickets.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = tickets.Skip(start).Take(batchSize).ToArray();
            var predictions = classifier.Predict(batch.Select(t => t.Text).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                WriteLine(writer, batch[i].Id, predictions[i].With(language.Identify(batch[i].Text)));
                await writer.FlushAsync(cancellationToken);
                writer.Reset();
                stream.WriteByte((byte)'\n');
            }
        }

        await stream.FlushAsync(cancellationToken);
    }

    private static void WriteLine(Utf8JsonWriter writer, string? id, TicketPrediction prediction)
    {
        writer.WriteStartObject();
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        writer.WriteStartObject("predictions");
        foreach (var head in prediction.Heads.Values)
        {
            if (head.Kind == HeadKind.SingleLabel)
            {
                writer.WriteString(head.Head, head.Label);
            }
            else
            {
                writer.WriteStartArray(head.Head);
                foreach (var label in head.Labels)
                {
                    writer.WriteStringValue(label);
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("confidence");
        foreach (var head in prediction.Heads.Values)
        {
            writer.WriteNumber(head.Head, Math.Round(head.Confidence, 4));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("needsReview");
        foreach (var head in prediction.Heads.Values)
        {
            writer.WriteBoolean(head.Head, head.NeedsReview);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
