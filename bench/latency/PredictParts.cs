#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// The parts of one /predict in-process, on bench/predict.lua's ticket: featurize, the ONNX graph, the whole classifier
// (featurize + graph + labels) and the language identifier. p50/p90 wall and mean CPU over N calls after a warm-up.
// Usage: dotnet run -c Release bench/latency/PredictParts.cs -- [MODEL_DIR=models/default] [N=20000]
using System.Diagnostics;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;

var model = args.Length > 0 ? args[0] : "models/default";
var n = args.Length > 1 ? int.Parse(args[1]) : 20_000;
var ticket = new TicketText(
    "Cannot access my account",
    "Hello support team, I have been unable to log in to the customer portal since yesterday morning. The password reset email never arrives, I checked the spam folder and tried two browsers. I have an urgent deadline for our quarterly report and need access today. Please help as soon as possible. Best regards, Anna");
using var classifier = TicketClassifier.Load(model);
var language = new LanguageIdentifier(new LanguageOptions());
var features = classifier.Featurizer?.Featurize(ticket) ?? throw new ArgumentException("The model has no n-gram featurizer.");

Time("featurize", () => classifier.Featurizer.Featurize(ticket));
Time("graph (ONNX)", () => classifier.Score([features]));
Time("classifier", () => classifier.Predict(ticket));
Time("language", () => language.Identify(ticket));

void Time(string name, Action action)
{
    for (var i = 0; i < 500; i++)
    {
        action();
    }

    var times = new double[n];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < n; i++)
    {
        var clock = Stopwatch.StartNew();
        action();
        times[i] = clock.Elapsed.TotalMicroseconds;
    }

    var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n;
    Array.Sort(times);
    Console.WriteLine($"{name}: p50 {times[n / 2]:F0} µs, p90 {times[n * 9 / 10]:F0} µs, CPU {cpuPerCall:F0} µs per call");
}
