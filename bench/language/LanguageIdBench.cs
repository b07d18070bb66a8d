#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// One language-identification method over a TSV of (set, gold, text) rows: writes one predicted code per row and prints
// (code, confidence, needs review) per row and a JSON line with load time, RSS added by loading and warming the method, and the per-text latency (p50/p95, µs).
// Methods: lingua-low, lingua-high (the product's LanguageIdentifier, with its default unserved decoy languages),
// lingua-low-nodecoys, head (a model directory's own language head, e.g. models/default).
// Usage: dotnet run -c Release bench/language/LanguageIdBench.cs -- METHOD SETS.tsv OUT.tsv [MODEL_DIR]
using System.Diagnostics;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;

var (method, setsPath, outPath) = (args[0], args[1], args[2]);
var rows = File.ReadLines(setsPath).Skip(1).Select(l => l.Split('\t')).Select(c => new TicketText(c[2].Replace("\\n", "\n", StringComparison.Ordinal), c[3].Replace("\\n", "\n", StringComparison.Ordinal))).ToList();

var rss0 = Rss();
var watch = Stopwatch.StartNew();
Func<TicketText, HeadPrediction> identify;
TicketClassifier? owned = null;
if (method == "head")
{
    var classifier = TicketClassifier.Load(args[3]);
    owned = classifier;
    identify = t => classifier.Predict(t).Heads["language"];
}
else
{
    var options = new LanguageOptions { LowAccuracy = method.StartsWith("lingua-low", StringComparison.Ordinal) };
    if (method.EndsWith("-nodecoys", StringComparison.Ordinal))
    {
        options = options with { Unserved = [] };
    }

    var identifier = new LanguageIdentifier(options);
    identify = identifier.Identify;
}

var loadMs = watch.ElapsedMilliseconds;
identify(rows[0]);
var times = new double[rows.Count];
await using (var output = new StreamWriter(outPath))
{
    for (var i = 0; i < rows.Count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        var head = identify(rows[i]);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        await output.WriteLineAsync(FormattableString.Invariant($"{head.Labels[0].ToLowerInvariant()}\t{head.Confidence:F4}\t{(head.NeedsReview ? 1 : 0)}"));
    }
}

var rss = Rss() - rss0;
Array.Sort(times);
Console.WriteLine(FormattableString.Invariant($"{{\"method\":\"{method}\",\"loadMs\":{loadMs},\"rssMb\":{rss / 1e6:F0},\"p50us\":{times[times.Length / 2]:F0},\"p95us\":{times[(int)(times.Length * 0.95)]:F0}}}"));
owned?.Dispose();

static long Rss()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    return process.WorkingSet64;
}
