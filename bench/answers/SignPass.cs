#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// The vector scan of /similar at scale, exact against two passes (VectorTable.SignPassAbove): the stored embeddings of a
// built collection (bench/answers/Scale.cs build), optionally repeated with noise up to ROWS rows, searched with the
// queries' embeddings (the collection's own encoder, 128 tokens). Prints per size: p50 of Nearest (100 candidates, as
// the fused search asks for), and how many of the exact 100 / exact 10 / exact top 1 the two passes return.
// Usage: dotnet run -c Release bench/answers/SignPass.cs -- COLLECTION_DIR QUERIES.jsonl [ROWS=0 (as stored)] [NOISE=0.02] [ASK=100]
// ASK > 100 asks the two passes for more rows and keeps the best 100: a deeper rescoring (ASK × SignPassDepth rows).
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Store;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Retrieval;

var (directory, queriesPath) = (args[0], args[1]);
var rowsWanted = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
var noise = args.Length > 3 ? float.Parse(args[3], CultureInfo.InvariantCulture) : 0.02f;
const int Candidates = 100;
var ask = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : Candidates;

var stored = new List<float[]>();
var generation = File.ReadAllText(Path.Combine(directory, KnowledgeIndex.CurrentFile)).Trim();
using (var reader = DirectoryReader.Open(FSDirectory.Open(Path.Combine(directory, generation, "index"))))
{
    foreach (var leaf in reader.Leaves)
    {
        for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
        {
            if (leaf.AtomicReader.LiveDocs is { } live && !live.Get(doc))
            {
                continue;
            }

            var bytes = leaf.AtomicReader.Document(doc).GetBinaryValue("vector");
            var halves = MemoryMarshal.Cast<byte, Half>(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length));
            stored.Add(halves.ToArray().Select(h => (float)h).ToArray());
        }
    }
}

var dimension = stored[0].Length;
var total = Math.Max(rowsWanted, stored.Count);
var random = new Random(17);
var exact = new VectorTable(dimension, total) { SignPassAbove = int.MaxValue };
var twoPass = new VectorTable(dimension, total) { SignPassAbove = 0 };
for (var slot = 0; slot < total; slot++)
{
    var row = stored[slot % stored.Count];
    if (slot >= stored.Count)
    {
        // A copy with noise: a new document that is close to a stored one (rows past the stored ones only).
        row = row.Select(v => v + noise * (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(row.Sum(v => v * v));
        row = row.Select(v => v / norm).ToArray();
    }

    exact.Set(slot, row);
    twoPass.Set(slot, row);
}

using var encoder = SentenceEncoder.Open(KnowledgeIndex.ReadManifest(directory)?.Encoder ?? SentenceEncoder.MiniLmKind, new EncoderOptions { MaxTokens = 128 });
var queries = File.ReadLines(queriesPath).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
    .Select(e => encoder.Encode(new TicketText(e.GetProperty("subject").GetString(), e.GetProperty("body").GetString())))
    .Select(v => exact.Quantize(v)).ToList();

foreach (var q in queries.Take(20))
{
    exact.Nearest(q, total, Candidates, null);
    twoPass.Nearest(q, total, ask, null);
}

var (timesExact, timesTwo) = (new List<double>(), new List<double>());
double in100 = 0, in10 = 0, top1 = 0;
foreach (var q in queries)
{
    var clock = Stopwatch.StartNew();
    var e = exact.Nearest(q, total, Candidates, null);
    timesExact.Add(clock.Elapsed.TotalMilliseconds);
    clock.Restart();
    var t = twoPass.Nearest(q, total, ask, null).Take(Candidates).ToList();
    timesTwo.Add(clock.Elapsed.TotalMilliseconds);
    var got = t.Select(x => x.Slot).ToHashSet();
    in100 += e.Count(x => got.Contains(x.Slot)) / (double)e.Count;
    in10 += e.Take(10).Count(x => got.Contains(x.Slot)) / 10.0;
    top1 += t[0].Slot == e[0].Slot ? 1 : 0;
}

static double P50(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rows {total:N0} (stored {stored.Count:N0}, noise {noise}, rescored {ask * VectorTable.SignPassDepth}); queries {queries.Count}; p50 exact {P50(timesExact):0.00} ms, two passes {P50(timesTwo):0.00} ms; " +
    $"of the exact {Candidates}: {in100 / queries.Count:0.000}, of the exact 10: {in10 / queries.Count:0.000}, same top 1: {top1 / queries.Count:0.000}"));
