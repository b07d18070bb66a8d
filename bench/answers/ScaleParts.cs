#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// The two parts of /similar whose cost grows with the collection, each measured at a size the encoder cannot fill in
// time on 2 cores: BM25 (a collection built without an encoder, Knowledge:Encoder=none, searched the way /similar
// searches it) and the exact int8 vector scan (VectorTable.Nearest over N seeded random unit vectors; the scan
// costs the same whatever the vectors hold). bench/answers/Scale.cs measures the whole search on real embeddings.
// Usage:
//   dotnet run -c Release bench/answers/ScaleParts.cs -- lexical COLLECTION_DIR CORPUS.jsonl QUERIES.jsonl [ROUNDS=3]
//   dotnet run -c Release bench/answers/ScaleParts.cs -- scan DOCUMENTS [QUERIES=300]
//   dotnet run -c Release bench/answers/ScaleParts.cs -- filtered-scan DOCUMENTS [QUERIES=300]
//     (the scan with help-desk filters: tested on document objects as before session 8, or on FilterColumns)
//   dotnet run -c Release bench/answers/ScaleParts.cs -- memory COLLECTION_DIR   (heap and RSS before/after opening it)
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Retrieval;

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return Math.Round(sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))], 3);
}

static (long Heap, long Rss) Memory()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return (GC.GetTotalMemory(true), long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
}

static List<KnowledgeDocument> Read(string path) => File.ReadLines(path).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
    .Select((e, i) => new KnowledgeDocument
    {
        Id = e.TryGetProperty("id", out var id) ? id.GetString()! : $"q{i}",
        Title = e.GetProperty("subject").GetString() is { Length: > 0 } s ? s : null,
        Body = e.GetProperty("body").GetString(),
    }).ToList();

var load = File.ReadAllText("/proc/loadavg").Trim();
if (args[0] == "scan")
{
    const int Dimension = 384;
    var documents = int.Parse(args[1], CultureInfo.InvariantCulture);
    var queryCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
    var random = new Random(42);
    float[] Unit()
    {
        var v = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            v[i] = (float)(random.NextDouble() - 0.5);
        }

        var norm = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    var (heap0, _) = Memory();
    var table = new VectorTable(Dimension);
    for (var slot = 0; slot < documents; slot++)
    {
        table.Set(slot, Unit());
    }

    var (heap1, _) = Memory();
    var times = new List<double>();
    for (var q = 0; q < queryCount; q++)
    {
        var query = Unit();
        var clock = Stopwatch.StartNew();
        var quantized = table.Quantize(query);
        // /similar asks each retriever for FusionSettings.Candidates (100) before fusing.
        var best = table.Nearest(quantized, documents, 100, _ => true);
        times.Add(clock.Elapsed.TotalMilliseconds);
        if (best.Count != Math.Min(100, documents))
        {
            throw new InvalidOperationException("scan returned too few");
        }
    }

    Console.WriteLine(JsonSerializer.Serialize(new { documents, scanP50Ms = Percentile(times.Skip(20).ToList(), 0.5), scanP95Ms = Percentile(times.Skip(20).ToList(), 0.95), vectorHeapBytesPerDocument = Math.Round((double)(heap1 - heap0) / documents, 1), load }));
    return;
}

if (args[0] == "filtered-scan")
{
    const int Dimension = 384;
    var documents = int.Parse(args[1], CultureInfo.InvariantCulture);
    var queryCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
    var random = new Random(42);
    float[] Unit()
    {
        var v = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            v[i] = (float)(random.NextDouble() - 0.5);
        }

        var norm = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    // Queue and language shares as bench/answers/scale_labels.py draws them (the 5-language ticket file).
    string[] queues = ["Technical Support", "Product Support", "Customer Service", "IT Support", "Billing and Payments", "Returns and Exchanges", "Sales and Pre-Sales", "Service Outages and Maintenance", "General Inquiry", "Human Resources"];
    double[] queueShares = [0.343, 0.171, 0.153, 0.106, 0.087, 0.06, 0.033, 0.029, 0.012, 0.006];
    string[] languages = ["en", "de", "es", "pt", "fr"];
    double[] languageShares = [0.416, 0.185, 0.178, 0.123, 0.098];
    string Draw(string[] values, double[] shares)
    {
        var x = random.NextDouble();
        for (var i = 0; i < values.Length - 1; i++)
        {
            if ((x -= shares[i]) < 0)
            {
                return values[i];
            }
        }

        return values[^1];
    }

    var table = new VectorTable(Dimension, documents);
    var columns = new FilterColumns(documents);
    var objects = new List<KnowledgeDocument>(documents);
    var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    for (var slot = 0; slot < documents; slot++)
    {
        table.Set(slot, Unit());
        // Separate string instances, as documents read from Lucene have.
        var document = new KnowledgeDocument
        {
            Id = $"mix-{slot}",
            Title = $"Subject {slot}",
            Body = $"Body of document {slot}",
            Queue = new string(Draw(queues, queueShares)),
            Language = new string(Draw(languages, languageShares)),
            Date = start.AddSeconds(random.Next(731 * 86400)),
        };
        objects.Add(document);
        columns.Set(slot, document.Queue, document.Language, document.Date);
    }

    // The predicate KnowledgeIndex used before session 8 (State.Accept), on the document objects.
    static bool OnDocuments(KnowledgeDocument document, KnowledgeQuery query) =>
        document.Id != query.ExcludeId
        && (query.Queue is null || string.Equals(document.Queue, query.Queue, StringComparison.Ordinal))
        && (query.Language is null || document.Language == CollectionManifest.Primary(query.Language))
        && (query.From is null || (document.Date is { } from && from >= query.From))
        && (query.To is null || (document.Date is { } to && to <= query.To));

    var filters = new (string Name, KnowledgeQuery Query)[]
    {
        ("language=en", new KnowledgeQuery { Language = "en" }),
        ("queue=Billing and Payments", new KnowledgeQuery { Queue = "Billing and Payments" }),
        ("language=de,from=2025-10-01", new KnowledgeQuery { Language = "de", From = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero) }),
    };
    var times = new Dictionary<string, List<double>> { ["unfiltered"] = [] };
    for (var q = 0; q < queryCount; q++)
    {
        var quantized = table.Quantize(Unit());
        var clock = Stopwatch.StartNew();
        table.Nearest(quantized, documents, 100, null);
        times["unfiltered"].Add(clock.Elapsed.TotalMilliseconds);
        foreach (var (name, query) in filters)
        {
            clock.Restart();
            var before = table.Nearest(quantized, documents, 100, s => OnDocuments(objects[s], query));
            times.TryAdd($"{name} documents", []);
            times[$"{name} documents"].Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var filter = columns.Resolve(query.Queue, query.Language, query.From, query.To, -1);
            var after = table.Nearest(quantized, documents, 100, s => columns.Accepts(s, filter));
            times.TryAdd($"{name} columns", []);
            times[$"{name} columns"].Add(clock.Elapsed.TotalMilliseconds);
            if (!before.SequenceEqual(after))
            {
                throw new InvalidOperationException($"{name}: the two filters chose different rows");
            }
        }
    }

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        documents,
        queries = queryCount,
        scans = times.ToDictionary(t => t.Key, t => new { p50Ms = Percentile(t.Value.Skip(20).ToList(), 0.5), p95Ms = Percentile(t.Value.Skip(20).ToList(), 0.95) }),
        load,
    }));
    return;
}

if (args[0] == "memory")
{
    // Opened without an encoder (the embeddings are loaded all the same), so the encoder's session is not counted.
    var (heap0, rss0) = Memory();
    using var opened = KnowledgeIndex.Open("scale", args[1], null);
    var (heap1, rss1) = Memory();
    var documents = opened.Count;
    var text = opened.Documents().Sum(d => 2L * (d.Id.Length + (d.Title?.Length ?? 0) + (d.Body?.Length ?? 0) + (d.Answer?.Length ?? 0)));
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        documents,
        heapBytesPerDocument = Math.Round((double)(heap1 - heap0) / documents, 1),
        rssBytesPerDocument = Math.Round((double)(rss1 - rss0) / documents, 1),
        textBytesPerDocument = Math.Round((double)text / documents, 1),
        heapBeyondTextPerDocument = Math.Round((double)(heap1 - heap0 - text) / documents, 1),
        rssBeyondTextPerDocument = Math.Round((double)(rss1 - rss0 - text) / documents, 1),
        load,
    }));
    return;
}

var (directory, corpus, queriesPath) = (args[1], args[2], args[3]);
var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3;
var build = Stopwatch.StartNew();
using (var writer = KnowledgeIndex.Open("lexical", directory, null))
{
    if (writer.Count == 0)
    {
        await writer.RebuildAsync(Read(corpus));
    }
}

var buildSeconds = build.Elapsed.TotalSeconds;
var (h0, r0) = Memory();
using var collection = KnowledgeIndex.Open("lexical", directory, null);
var (h1, r1) = Memory();
var count = collection.Count;
var textBytes = collection.Documents().Sum(d => 2L * (d.Id.Length + (d.Title?.Length ?? 0) + (d.Body?.Length ?? 0) + (d.Answer?.Length ?? 0)));
var queries = Read(queriesPath).Select(r => new KnowledgeQuery { Subject = r.Title, Body = r.Body, TopK = 5 }).ToList();
foreach (var q in queries.Take(20))
{
    collection.Search(q);
}

var total = new List<double>();
for (var round = 0; round < rounds; round++)
{
    foreach (var q in queries)
    {
        var clock = Stopwatch.StartNew();
        collection.Search(q);
        total.Add(clock.Elapsed.TotalMilliseconds);
    }
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    documents = count,
    buildSeconds = Math.Round(buildSeconds, 1),
    lexicalSearchP50Ms = Percentile(total, 0.5),
    lexicalSearchP95Ms = Percentile(total, 0.95),
    heapBytesPerDocument = Math.Round((double)(h1 - h0) / count, 1),
    rssBytesPerDocument = Math.Round((double)(r1 - r0) / count, 1),
    textBytesPerDocument = Math.Round((double)textBytes / count, 1),
    heapBeyondTextPerDocument = Math.Round((double)(h1 - h0 - textBytes) / count, 1),
    load,
}));
