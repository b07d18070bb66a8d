#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// The two parts of /similar whose cost grows with the collection, each measured at a size the encoder cannot fill in
// time on 2 cores: BM25 (a collection built without an encoder, Knowledge:Encoder=none, searched the way /similar
// searches it) and the exact int8 vector scan (VectorTable.Nearest over N seeded random unit vectors; the scan
// costs the same whatever the vectors hold). bench/answers/Scale.cs measures the whole search on real embeddings.
// Usage:
//   dotnet run -c Release bench/answers/ScaleParts.cs -- lexical COLLECTION_DIR CORPUS.jsonl QUERIES.jsonl [ROUNDS=3]
//   dotnet run -c Release bench/answers/ScaleParts.cs -- scan DOCUMENTS [QUERIES=300]
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
