#:package Microsoft.ML
#:project ../../src/OpenTicketAI.Core/OpenTicketAI.Core.csproj
#:property PublishAot=false
// Microsoft.ML's LbfgsMaximumEntropy on the features of otai's linear path (hashed word + char n-grams with
// separateWordBuckets, idf from the training rows, word and char blocks each L2-normalised), one head of a JSONL/CSV
// split as bench/tickets_vs_fasttext.py writes it (train.jsonl, tune.jsonl, test.csv). Prints validation and test
// accuracy and the training time per C, so the trainer can be compared with otai's own L-BFGS on identical features.
// Usage: dotnet run -c Release bench/mlnet/MaxEnt.cs -- WORK_DIR HEAD [C ...]   (WORK_DIR from tickets_vs_fasttext.py --work)
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

var (work, head) = (args[0], args[1]);
var cs = args.Length > 2 ? args[2..].Select(double.Parse).ToArray() : [1.0, 10.0, 100.0];
var settings = new FeaturizerSettings { SeparateWordBuckets = true };
var featurizer = new HashedNgramFeaturizer(settings);
var train = ReadJsonl(Path.Combine(work, "train.jsonl"));
var tune = ReadJsonl(Path.Combine(work, "tune.jsonl"));
var test = ReadCsv(Path.Combine(work, "test.csv"));

var df = new int[settings.Buckets];
var trainFeatures = train.Select(r => featurizer.Featurize(r.Text)).ToArray();
foreach (var f in trainFeatures)
{
    foreach (var id in f.Ids)
    {
        df[id]++;
    }
}

var idf = df.Select(n => n == 0 ? 0f : (float)(Math.Log((1.0 + train.Count) / (1.0 + n)) + 1)).ToArray();
var ml = new MLContext(seed: 42);
var schema = SchemaDefinition.Create(typeof(Row));
schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, settings.Buckets);
IDataView View(IEnumerable<(TicketText Text, string Label)> rows, SparseFeatures[]? features = null) =>
    ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Label = r.Label, Features = Vector(features?[i] ?? featurizer.Featurize(r.Text)) }), schema);
var trainView = View(train.Select(r => (r.Text, r.Labels[head])), trainFeatures);
var tuneView = View(tune.Select(r => (r.Text, r.Labels[head])));
var testView = View(test.Select(r => (r.Text, r.Labels[head])));
foreach (var c in cs)
{
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
        .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { L2Regularization = (float)(1 / c), L1Regularization = 0, OptimizationTolerance = 1e-7f, MaximumNumberOfIterations = 200 }));
    var clock = Stopwatch.StartNew();
    var model = pipeline.Fit(trainView);
    var seconds = clock.Elapsed.TotalSeconds;
    var tuneAccuracy = ml.MulticlassClassification.Evaluate(model.Transform(tuneView)).MicroAccuracy;
    var testAccuracy = ml.MulticlassClassification.Evaluate(model.Transform(testView)).MicroAccuracy;
    Console.WriteLine($"{head} C={c}: validation {tuneAccuracy:0.0000} test {testAccuracy:0.0000}, training {seconds:0.0} s");
}

VBuffer<float> Vector(SparseFeatures features)
{
    var values = features.Ids.Select((id, j) => features.Weights[j] * idf[id]).ToArray();
    var half = settings.WordBucketCount();
    var words = Math.Sqrt(values.Where((_, j) => features.Ids[j] < half).Sum(v => (double)v * v));
    var chars = Math.Sqrt(values.Where((_, j) => features.Ids[j] >= half).Sum(v => (double)v * v));
    for (var j = 0; j < values.Length; j++)
    {
        var norm = features.Ids[j] < half ? words : chars;
        values[j] = norm > 0 ? (float)(values[j] / norm) : 0f;
    }

    var kept = Enumerable.Range(0, values.Length).Where(j => values[j] != 0).ToArray();
    return new VBuffer<float>(settings.Buckets, kept.Length, kept.Select(j => values[j]).ToArray(), kept.Select(j => features.Ids[j]).ToArray());
}

static List<(TicketText Text, Dictionary<string, string> Labels)> ReadJsonl(string path) =>
    File.ReadLines(path).Select(line => JsonDocument.Parse(line).RootElement).Select(o => (
        new TicketText(o.GetProperty("subject").GetString(), o.GetProperty("body").GetString()),
        o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!))).ToList();

static List<(TicketText Text, Dictionary<string, string> Labels)> ReadCsv(string path)
{
    using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(path) { TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
    parser.SetDelimiters(",");
    var header = parser.ReadFields()!;
    var rows = new List<(TicketText, Dictionary<string, string>)>();
    while (parser.ReadFields() is { } fields)
    {
        var row = header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        rows.Add((new TicketText(row["subject"], row["body"]), row));
    }

    return rows;
}

sealed class Row
{
    public string Label { get; set; } = "";

    public VBuffer<float> Features { get; set; }
}
