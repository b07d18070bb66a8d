#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// /similar at scale: builds a tickets collection from a JSONL corpus (bench/answers/scale_corpus.py) in commits of
// --chunk documents, resumable (ids already indexed are skipped), and measures the search /similar runs
// (KnowledgeIndex.Search, query encoding included) and the memory the opened collection takes.
// Usage:
//   dotnet run -c Release bench/answers/Scale.cs -- build   COLLECTION_DIR CORPUS.jsonl [CHUNK=2000] [ENCODER=minilm]
//   dotnet run -c Release bench/answers/Scale.cs -- measure COLLECTION_DIR QUERIES.jsonl [ROUNDS=3]
//   dotnet run -c Release bench/answers/Scale.cs -- relabel COLLECTION_DIR LABELLED_CORPUS.jsonl NEW_COLLECTION_DIR
// relabel copies a built collection with the queue, language and date of bench/answers/scale_labels.py's corpus,
// reusing the stored embeddings (no encoding); measure also times /similar with help-desk filters on such a collection.
// The collection is encoded with MiniLM (float or minilm-int8) for every language (worst case for memory and search)
// at 128 tokens; measure opens the encoder the collection was built with, as the service does.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Retrieval;

var (mode, directory, input) = (args[0], args[1], args[2]);
var rows = File.ReadLines(input).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
    .Select((e, i) => new KnowledgeDocument
    {
        Id = e.TryGetProperty("id", out var id) ? id.GetString()! : $"q{i}",
        Title = e.GetProperty("subject").GetString() is { Length: > 0 } s ? s : null,
        Body = e.GetProperty("body").GetString(),
        Queue = e.TryGetProperty("queue", out var queue) ? queue.GetString() : null,
        Language = e.TryGetProperty("language", out var language) ? language.GetString() : null,
        Date = e.TryGetProperty("date", out var date) ? date.GetDateTimeOffset() : null,
    }).ToList();

if (mode == "relabel")
{
    // Writes the generation again the way KnowledgeIndex.ToLucene does (its field names), with the corpus's filter fields.
    var labels = rows.ToDictionary(r => r.Id);
    var generation = File.ReadAllText(Path.Combine(directory, KnowledgeIndex.CurrentFile)).Trim();
    var copy = Path.Combine(args[3], generation);
    System.IO.Directory.CreateDirectory(copy);
    File.Copy(Path.Combine(directory, generation, CollectionManifest.FileName), Path.Combine(copy, CollectionManifest.FileName));
    using (var source = DirectoryReader.Open(FSDirectory.Open(Path.Combine(directory, generation, "index"))))
    using (var output = FSDirectory.Open(Path.Combine(copy, "index")))
    using (var writer = new IndexWriter(output, new IndexWriterConfig(TicketAnalyzer.Version, new TicketAnalyzer()) { OpenMode = OpenMode.CREATE, Similarity = new BM25Similarity() }))
    {
        foreach (var leaf in source.Leaves)
        {
            for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
            {
                if (leaf.AtomicReader.LiveDocs is { } live && !live.Get(doc))
                {
                    continue;
                }

                var stored = leaf.AtomicReader.Document(doc);
                var row = labels[stored.Get("id")];
                var lucene = new Document
                {
                    new StringField("id", row.Id, Field.Store.YES),
                    new TextField("text", string.Join('\n', new[] { row.Title, row.Body }.Where(s => !string.IsNullOrWhiteSpace(s))), Field.Store.NO),
                    new StringField("queue", row.Queue, Field.Store.YES),
                    new StringField("language", row.Language, Field.Store.YES),
                    new Int64Field("date", row.Date!.Value.UtcTicks, Field.Store.YES),
                    new StoredField("vector", stored.GetBinaryValue("vector")),
                };
                foreach (var (field, value) in new[] { ("title", row.Title), ("body", row.Body) })
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        lucene.Add(new StoredField(field, value));
                    }
                }

                writer.AddDocument(lucene);
            }
        }

        writer.Commit();
    }

    File.WriteAllText(Path.Combine(args[3], KnowledgeIndex.CurrentFile), generation);
    using var check = KnowledgeIndex.Open("scale", args[3], null);
    Console.Error.WriteLine($"{check.Count} documents relabelled into {args[3]}");
    return;
}

if (mode == "build")
{
    var chunk = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
    var kind = args.Length > 4 ? args[4] : SentenceEncoder.MiniLmKind;
    using var encoder = SentenceEncoder.Open(kind, new EncoderOptions { MaxTokens = 128, ParallelBatches = Environment.ProcessorCount });
    using var index = KnowledgeIndex.Open("scale", directory, encoder, CollectionKind.Tickets, encoderLanguages: []);
    var todo = rows.Where(d => index.Get(d.Id) is null).ToList();
    Console.Error.WriteLine($"{index.Count} indexed, {todo.Count} to go");
    for (var start = 0; start < todo.Count; start += chunk)
    {
        var clock = Stopwatch.StartNew();
        var written = await index.UpsertAsync(todo.GetRange(start, Math.Min(chunk, todo.Count - start)));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:HH:mm:ss} {written.Count} documents; {Math.Min(chunk, todo.Count - start) / clock.Elapsed.TotalSeconds:0.0} documents/s; load {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    return;
}

var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
// The service's encoder: KnowledgeStore opens it with Knowledge:MaxTokens (128) and one intra-op thread.
using var queryEncoder = SentenceEncoder.Open(KnowledgeIndex.ReadManifest(directory)?.Encoder ?? SentenceEncoder.MiniLmKind, new EncoderOptions { MaxTokens = 128 });
queryEncoder.Encode(new TicketText(rows[0].Title, rows[0].Body));
var (heap0, rss0) = Memory();
using var collection = KnowledgeIndex.Open("scale", directory, queryEncoder);
var (heap1, rss1) = Memory();
var count = collection.Count;
var textBytes = collection.Documents().Sum(d => 2L * ((d.Id?.Length ?? 0) + (d.Title?.Length ?? 0) + (d.Body?.Length ?? 0) + (d.Answer?.Length ?? 0)));
var queries = rows.Select(r => new KnowledgeQuery { Subject = r.Title, Body = r.Body, TopK = 5 }).ToList();
foreach (var q in queries.Take(100))
{
    collection.Search(q);
}

var total = new List<double>();
var encode = new List<double>();
var lexical = new List<double>();
var dense = new List<double>();
// Filters as a help desk sends them (selectivity on scale_labels.py's corpus: en 42 %, one queue of ten 9 %, de and the
// last quarter of two years ~2 %).
var filters = new (string Name, KnowledgeQuery Filter)[]
{
    ("language=en", new KnowledgeQuery { Language = "en" }),
    ("queue=Billing and Payments", new KnowledgeQuery { Queue = "Billing and Payments" }),
    ("language=de,from=2025-10-01", new KnowledgeQuery { Language = "de", From = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero) }),
};
var filtered = filters.ToDictionary(f => f.Name, _ => new List<double>());
var filteredLexical = filters.ToDictionary(f => f.Name, _ => new List<double>());
for (var round = 0; round < rounds; round++)
{
    foreach (var q in queries)
    {
        var clock = Stopwatch.StartNew();
        queryEncoder.Encode(new TicketText(q.Subject, q.Body));
        encode.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        var result = collection.Search(q);
        total.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        collection.Search(q with { Mode = RetrievalMode.Lexical });
        lexical.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        collection.Search(q with { Mode = RetrievalMode.Dense });
        dense.Add(clock.Elapsed.TotalMilliseconds);
        foreach (var (name, filter) in filters)
        {
            clock.Restart();
            collection.Search(q with { Queue = filter.Queue, Language = filter.Language, From = filter.From });
            filtered[name].Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            collection.Search(q with { Queue = filter.Queue, Language = filter.Language, From = filter.From, Mode = RetrievalMode.Lexical });
            filteredLexical[name].Add(clock.Elapsed.TotalMilliseconds);
        }

        if (result.Hits.Count == 0)
        {
            throw new InvalidOperationException("a query found nothing");
        }
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}

static (long Heap, long Rss) Memory()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return (GC.GetTotalMemory(true), long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    documents = count,
    queries = total.Count,
    similarP50Ms = Math.Round(Percentile(total, 0.5), 2),
    similarP95Ms = Math.Round(Percentile(total, 0.95), 2),
    encodeP50Ms = Math.Round(Percentile(encode, 0.5), 2),
    lexicalP50Ms = Math.Round(Percentile(lexical, 0.5), 2),
    denseP50Ms = Math.Round(Percentile(dense, 0.5), 2),
    similarP99Ms = Math.Round(Percentile(total, 0.99), 2),
    filtered = filtered.ToDictionary(f => f.Key, f => new { p50Ms = Math.Round(Percentile(f.Value, 0.5), 2), p95Ms = Math.Round(Percentile(f.Value, 0.95), 2), p99Ms = Math.Round(Percentile(f.Value, 0.99), 2), lexicalP50Ms = Math.Round(Percentile(filteredLexical[f.Key], 0.5), 2), lexicalP99Ms = Math.Round(Percentile(filteredLexical[f.Key], 0.99), 2) }),
    heapBytesPerDocument = Math.Round((double)(heap1 - heap0) / count, 1),
    rssBytesPerDocument = Math.Round((double)(rss1 - rss0) / count, 1),
    textBytesPerDocument = Math.Round((double)textBytes / count, 1),
    heapBeyondTextPerDocument = Math.Round((double)(heap1 - heap0 - textBytes) / count, 1),
    rssBeyondTextPerDocument = Math.Round((double)(rss1 - rss0 - textBytes) / count, 1),
    load = File.ReadAllText("/proc/loadavg").Trim(),
}));
