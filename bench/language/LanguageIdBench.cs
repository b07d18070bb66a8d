#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// One language-identification method over a TSV of (set, gold, text) rows: writes one predicted code per row and prints
// (code, confidence, needs review) per row and a JSON line with load time, RSS added by loading and warming the method, and the per-text latency (p50/p95, µs).
// Methods: otai (the product's LanguageIdentifier: Lingua's 1-5-gram models scored by Core/Language/NgramTable plus
// function-word evidence, with its default unserved decoy languages), otai-nofw (session 6's identifier: no function
// words, six decoys), otai-6decoys (function words, without Catalan as a decoy), otai-7decoys (session 7's default:
// function words, decoys without Czech and Hungarian), otai-nodecoys, otai-nofit (session 8's identifier: no n-gram fit check), otai-oneT (session 13's: one temperature for every length), otai-try:fw=W,t=T (those
// constants, no thresholds: for tuning), otai-raw (temperature 1000, no abstention: for fitting the temperature),
// lingua-low and lingua-high (Lingua's own detector in its two modes, the same served and decoy languages, top answer,
// no abstention), head (a model directory's own language head, e.g. models/default).
// Usage: dotnet run -c Release bench/language/LanguageIdBench.cs -- METHOD SETS.tsv OUT.tsv [MODEL_DIR]
using System.Diagnostics;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;
using Lingua;
using OpenTicketAI.Core.Models;

var (method, setsPath, outPath) = (args[0], args[1], args[2]);
string[] Session6Decoys = ["nl", "tr", "pl", "sv", "ro", "id"];
string[] Session7Decoys = [.. Session6Decoys, "ca"];
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
else if (method.StartsWith("lingua-", StringComparison.Ordinal))
{
    var all = LanguageOptions.DefaultLanguages.Concat(LanguageOptions.DefaultUnserved)
        .Select(code => Enum.GetValues<Lingua.Language>().First(l => l.IsoCode6391().ToString().Equals(code, StringComparison.OrdinalIgnoreCase)))
        .ToArray();
    var builder = LanguageDetectorBuilder.FromLanguages(all).WithPreloadedLanguageModels();
    var detector = (method == "lingua-low" ? builder.WithLowAccuracyMode() : builder).Build();
    identify = t =>
    {
        var values = detector.ComputeLanguageConfidenceValues($"{t.Subject}\n{t.Body}".Trim());
        var top = values.MaxBy(v => v.Value);
        var code = top.Value > 0 ? top.Key.IsoCode6391().ToString().ToLowerInvariant() : "und";
        return new HeadPrediction("language", HeadKind.SingleLabel, [code], (float)top.Value, false, []);
    };
}
else
{
    var options = method switch
    {
        "otai" => new LanguageOptions(),
        "otai-nofw" => new LanguageOptions { FunctionWordWeight = 0, Unserved = Session6Decoys },
        "otai-6decoys" => new LanguageOptions { Unserved = Session6Decoys },
        "otai-7decoys" => new LanguageOptions { Unserved = Session7Decoys },
        "otai-nodecoys" => new LanguageOptions { Unserved = [] },
        "otai-oneT" => new LanguageOptions { ShortTextLetters = 0 },
        "otai-nofit" => new LanguageOptions { MinMeanNgramLogProbability = double.NegativeInfinity },
        "otai-raw" => new LanguageOptions { Temperature = 1000, MinConfidence = 0, ReviewBelow = 0, MinLetters = 1 },
        _ when method.StartsWith("otai-try:", StringComparison.Ordinal) => Try(method["otai-try:".Length..]),
        _ => throw new ArgumentException($"unknown method {method}"),
    };
    var identifier = new LanguageIdentifier(options);
    identify = method == "otai-raw" ? t => Raw(identifier.Identify(t)) : identifier.Identify;
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

// Every served language's log-likelihood relative to the best one (T = 1000 undone), for fitting the temperature.
static HeadPrediction Raw(HeadPrediction head) =>
    head with { Labels = [string.Join(",", head.Scores.Select(s => FormattableString.Invariant($"{s.Label}:{1000 * Math.Log(Math.Max(s.Score, 1e-30)):F2}")))] };

// "fw=4,t=6" (or "unserved=nl+tr+ca", "fit=-3.6", "short=20:5" = ShortTextLetters:ShortTextTemperature): the service's options with these constants and no thresholds (every row answered, with its confidence),
// so that the driver can choose constants and re-apply the 0.5/0.9 thresholds on a tuning half of the rows.
static LanguageOptions Try(string spec)
{
    var options = new LanguageOptions { MinConfidence = 0, ReviewBelow = 0 };
    foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        var (key, value) = (pair.Split('=')[0], pair.Split('=')[1]);
        options = key switch
        {
            "fw" => options with { FunctionWordWeight = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            "t" => options with { Temperature = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            "unserved" => options with { Unserved = value.Split('+') },
            "short" => options with { ShortTextLetters = int.Parse(value.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture), ShortTextTemperature = double.Parse(value.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) },
            "fit" => options with { MinMeanNgramLogProbability = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            _ => throw new ArgumentException($"unknown constant {key}"),
        };
    }

    return options;
}

static long Rss()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    return process.WorkingSet64;
}
