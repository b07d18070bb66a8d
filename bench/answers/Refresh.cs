#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// What it costs the service to pick up another process's writes (KnowledgeIndex.RefreshAsync, as Api/Knowledge's
// KnowledgeRefresher calls it): a collection opened as the service opens it, a second instance on the same directory
// (what `otai index` from cron is) upserting NEW documents, then the refresh timed while searches keep running on a
// second thread; then the same once more through the service's own next write (a write catches up first).
// Usage (COLLECTION from bench/answers/Scale.cs build; CORPUS gives the texts of the new documents):
//   dotnet run -c Release bench/answers/Refresh.cs -- COLLECTION_DIR CORPUS.jsonl [NEW=100] [ROUNDS=4]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Knowledge.Collections;

var (directory, corpus) = (args[0], args[1]);
var added = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
var texts = File.ReadLines(corpus).Take((added * rounds) + 200).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
    .Select(e => (Subject: e.GetProperty("subject").GetString(), Body: e.GetProperty("body").GetString())).ToList();
var kind = KnowledgeIndex.ReadManifest(directory)?.Encoder ?? SentenceEncoder.MiniLmKind;
using var encoder = SentenceEncoder.Open(kind, new EncoderOptions { MaxTokens = 128, ParallelBatches = Environment.ProcessorCount });

var clock = Stopwatch.StartNew();
using var service = KnowledgeIndex.Open("scale", directory, encoder);
var openMs = clock.Elapsed.TotalMilliseconds;
var queries = texts.Take(200).Select(t => new KnowledgeQuery { Subject = t.Subject, Body = t.Body, TopK = 5 }).ToList();
foreach (var q in queries.Take(50))
{
    service.Search(q);
}

var rssBefore = Memory();
var results = new List<object>();
for (var round = 0; round < rounds; round++)
{
    using (var indexer = KnowledgeIndex.Open("scale", directory, encoder))
    {
        var fresh = texts.Skip(200 + (round * added)).Take(added)
            .Select((t, i) => new KnowledgeDocument { Id = $"refresh-{Guid.NewGuid():N}-{i}", Title = t.Subject, Body = t.Body }).ToList();
        await indexer.UpsertAsync(fresh);
    }

    var peak = 0L;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss());
            await Task.Delay(20);
        }
    });
    var during = new List<double>();
    var searching = Task.Run(() =>
    {
        var i = 0;
        while (!sampling.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            service.Search(queries[i++ % queries.Count]);
            during.Add(started.Elapsed.TotalMilliseconds);
        }
    });

    // Even rounds: the refresher's check; odd rounds: the service's own next write catches up before it commits.
    clock.Restart();
    var how = round % 2 == 0 ? "RefreshAsync" : "UpsertAsync of 1 document";
    if (round % 2 == 0)
    {
        await service.RefreshAsync();
    }
    else
    {
        await service.UpsertAsync([new KnowledgeDocument { Id = $"own-{Guid.NewGuid():N}", Title = texts[0].Subject, Body = texts[0].Body }]);
    }

    var refreshMs = clock.Elapsed.TotalMilliseconds;
    sampling.Cancel();
    await Task.WhenAll(sampler, searching);
    var sorted = during.Order().ToList();
    results.Add(new
    {
        how,
        documents = service.Count,
        newDocuments = added,
        ms = Math.Round(refreshMs),
        rssBeforeMb = rssBefore / 1048576,
        rssPeakMb = peak / 1048576,
        rssAfterMb = Memory() / 1048576,
        heapAfterMb = GC.GetTotalMemory(true) / 1048576,
        searchesDuring = sorted.Count,
        searchP50MsDuring = sorted.Count == 0 ? 0 : Math.Round(sorted[sorted.Count / 2], 1),
        searchMaxMsDuring = sorted.Count == 0 ? 0 : Math.Round(sorted[^1], 1),
    });
}

Console.WriteLine(JsonSerializer.Serialize(new { openMs = Math.Round(openMs), load = File.ReadAllText("/proc/loadavg").Trim(), results }));

static long Rss() =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

static long Memory()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return Rss();
}
