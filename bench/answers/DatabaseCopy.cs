#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// Knowledge collections in PostgreSQL (Knowledge:Provider): what holding a collection in the database costs a replica.
//   seed  COLLECTION_DIR CONNECTION WORK   copies a built collection (bench/answers/Scale.cs build) to WORK/a and lets it
//                                          copy itself into the empty database, as a replica does on its first refresh
//   load  CONNECTION WORK                  a new replica: an empty WORK/b reads the whole collection; then a refresh with
//                                          nothing new (the cost of every Knowledge:RescanInterval tick); memory after
//   reopen WORK                            a restarted replica: opens its copy WORK/b from disk, then asks the database
//   delta CONNECTION WORK N                WORK/a upserts N changed documents (encoded, written, replayed locally); WORK/b
//                                          replays them on its next refresh (after a warm-up write of 10 documents)
//   files WORK N                           the same write without a database, into a copy of WORK/a (for comparison)
// Every step runs in its own process, so the memory figures are one replica's. The database must be empty before seed.
using System.Diagnostics;
using System.Globalization;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;

var mode = args[0];
CollectionDatabase Database(string connection) => new(SqlDatabase.Create(DatabaseProvider.PostgreSql, connection, string.Empty, Path.GetTempPath()));
SentenceEncoder? EncoderOf(string directory) =>
    KnowledgeIndex.ReadManifest(directory) is { Encoder: { } kind } && SentenceEncoder.IsPackagedKind(kind)
        ? SentenceEncoder.Open(kind, new EncoderOptions { MaxTokens = 128, ParallelBatches = Environment.ProcessorCount })
        : null;

switch (mode)
{
    case "seed":
    {
        var (source, connection, work) = (args[1], args[2], args[3]);
        var copy = Path.Combine(work, "a");
        Copy(source, copy);
        await using var database = Database(connection);
        using var encoder = EncoderOf(copy);
        using var index = KnowledgeIndex.Open("tickets", copy, encoder, database: database);
        var clock = Stopwatch.StartNew();
        await index.RefreshAsync();
        Report($"seed: {index.Count:N0} documents copied into the database and read back in {clock.Elapsed.TotalSeconds:0.0} s");
        break;
    }

    case "load":
    {
        var (connection, work) = (args[1], args[2]);
        var directory = Path.Combine(work, "b");
        await using var database = Database(connection);
        var clock = Stopwatch.StartNew();
        using var index = KnowledgeIndex.Open("tickets", directory, encoder: null, database: database);
        await index.RefreshAsync();
        var load = clock.Elapsed;
        var idle = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            clock.Restart();
            await index.RefreshAsync();
            idle.Add(clock.Elapsed.TotalMilliseconds);
        }

        idle.Sort();
        var (heap, rss) = Memory();
        Report($"load: {index.Count:N0} documents into an empty directory in {load.TotalSeconds:0.0} s; refresh with nothing new p50 {idle[idle.Count / 2]:0.0} ms; managed heap {heap / 1048576.0:0} MiB, RSS {rss / 1048576.0:0} MiB");
        break;
    }

    case "reopen":
    {
        var directory = Path.Combine(args[2], "b");
        await using var database = Database(args[1]);
        var clock = Stopwatch.StartNew();
        using var index = KnowledgeIndex.Open("tickets", directory, encoder: null, database: database);
        var open = clock.Elapsed;
        clock.Restart();
        var changed = await index.RefreshAsync();
        var refresh = clock.Elapsed;
        var (heap, rss) = Memory();
        Report($"reopen: {index.Count:N0} documents from the replica's own directory in {open.TotalSeconds:0.0} s, then a refresh ({(changed ? "changed" : "nothing new")}) in {refresh.TotalMilliseconds:0} ms; managed heap {heap / 1048576.0:0} MiB, RSS {rss / 1048576.0:0} MiB");
        break;
    }

    case "delta":
    {
        var (connection, work, count) = (args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        await using var database = Database(connection);
        var writerDirectory = Path.Combine(work, "a");
        using var encoder = EncoderOf(writerDirectory);
        using var writer = KnowledgeIndex.Open("tickets", writerDirectory, encoder, database: database);
        using var reader = KnowledgeIndex.Open("tickets", Path.Combine(work, "b"), encoder: null, database: database);
        await reader.RefreshAsync();
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var documents = writer.Documents();
        // A first write and replay warm the process up (JIT, connection pool); the one measured follows.
        await writer.UpsertAsync(documents.TakeLast(10).Select(d => d with { Title = $"{d.Title} (warm-up {stamp})" }).ToList());
        await reader.RefreshAsync();
        var changed = documents.Take(count).Select(d => d with { Title = $"{d.Title} (edited {stamp})" }).ToList();
        var clock = Stopwatch.StartNew();
        await writer.UpsertAsync(changed);
        var write = clock.Elapsed;
        clock.Restart();
        await reader.RefreshAsync();
        var replay = clock.Elapsed;
        var arrived = changed.Count(d => reader.Get(d.Id)?.Title == d.Title);
        Report($"delta: {count:N0} changed documents upserted (encoded, written, replayed) in {write.TotalSeconds:0.00} s; the other replica replayed them in {replay.TotalMilliseconds:0} ms ({arrived:N0} arrived)");
        break;
    }

    case "files":
    {
        var (work, count) = (args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        var directory = Path.Combine(work, "files");
        if (!Directory.Exists(directory))
        {
            Copy(Path.Combine(work, "a"), directory);
        }

        using var encoder = EncoderOf(directory);
        using var writer = KnowledgeIndex.Open("tickets", directory, encoder);
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var documents = writer.Documents();
        await writer.UpsertAsync(documents.TakeLast(10).Select(d => d with { Title = $"{d.Title} (warm-up {stamp})" }).ToList());
        var changed = documents.Take(count).Select(d => d with { Title = $"{d.Title} (edited {stamp})" }).ToList();
        var clock = Stopwatch.StartNew();
        await writer.UpsertAsync(changed);
        Report($"files: {count:N0} changed documents upserted (encoded, committed) without a database in {clock.Elapsed.TotalSeconds:0.00} s");
        break;
    }

    default:
        throw new ArgumentException($"unknown mode '{mode}': seed, load, reopen, delta or files");
}

static void Copy(string source, string target)
{
    foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
    {
        var to = Path.Combine(target, Path.GetRelativePath(source, file));
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(file, to, overwrite: true);
    }
}

static (long Heap, long Rss) Memory()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return (GC.GetTotalMemory(true), long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
}

static void Report(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss} {line}"));
