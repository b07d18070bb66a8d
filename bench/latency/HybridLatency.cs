#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// Single-ticket latency of TicketClassifier.Predict: p50/p95 over N tickets of a CSV (subject, body), one at a time.
// Usage: dotnet run bench/latency/HybridLatency.cs -- MODEL_DIR TICKETS.csv [N=200] [MAX_TOKENS]
// MAX_TOKENS overrides the encoder window of a copy of the model (inference only) to compare windows on one model.
using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;

var model = args[0];
var n = args.Length > 2 ? int.Parse(args[2]) : 200;
if (args.Length > 3)
{
    var copy = Directory.CreateTempSubdirectory("otai-latency-").FullName;
    foreach (var file in Directory.GetFiles(model))
    {
        File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
    }

    var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "model.json")))!;
    manifest["encoder"]!["maxTokens"] = int.Parse(args[3]);
    File.WriteAllText(Path.Combine(copy, "model.json"), manifest.ToJsonString());
    model = copy;
}

var tickets = ReadTickets(args[1]).Take(n).ToList();
using var classifier = TicketClassifier.Load(model);
classifier.Predict(tickets[0]);
var times = new List<double>();
foreach (var ticket in tickets)
{
    var clock = Stopwatch.StartNew();
    classifier.Predict(ticket);
    times.Add(clock.Elapsed.TotalMilliseconds);
}

times.Sort();
var tokens = classifier.Encoder is { } e ? tickets.Select(t => e.Tokenize(t).Length).Order().ToList() : [];
Console.WriteLine($"window {classifier.Encoder?.Options.MaxTokens}, {times.Count} tickets, p50 {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, median tokens {(tokens.Count > 0 ? tokens[tokens.Count / 2] : 0)}");

static IEnumerable<TicketText> ReadTickets(string path)
{
    using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(path) { Delimiters = [","], HasFieldsEnclosedInQuotes = true };
    var header = parser.ReadFields()!;
    var subject = Array.IndexOf(header, "subject");
    var body = Array.IndexOf(header, "body");
    while (parser.ReadFields() is { } fields)
    {
        yield return new TicketText(fields[subject], fields[body]);
    }
}
