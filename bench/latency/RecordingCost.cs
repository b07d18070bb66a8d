#:project ../../src/OpenTicketAI.Feedback/OpenTicketAI.Feedback.csproj
#:property PublishAot=false
// What the prediction writer costs per recorded prediction: CPU and wall microseconds of SqlFeedbackStore.RecordPredictionsAsync
// on a fresh SQLite file (WAL, as the service runs it), in batches as the writer commits them (at c1 with the default 50 ms
// gathering delay a batch holds ~30 predictions), each like a /predict answer of the default model (6 heads, subject and body).
// Usage: dotnet run -c Release bench/latency/RecordingCost.cs -- [PREDICTIONS=20000] [BATCH=30]
using System.Diagnostics;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;

var total = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var batchSize = args.Length > 1 ? int.Parse(args[1]) : 30;
var directory = Directory.CreateTempSubdirectory("otai-recording-").FullName;
var store = FeedbackStoreFactory.Create(
    new FeedbackOptions { ConnectionString = $"Data Source={Path.Combine(directory, "feedback.db")}" }, directory, TimeProvider.System);
await store.MigrateAsync(CancellationToken.None);

var body = string.Concat(Enumerable.Repeat("My laptop does not start after the last update, the screen stays black. ", 6));
PredictionRecord Prediction(int i) => new(
    TicketKey.FromApi($"T-{i}"), "default", "2026.12.01", DateTimeOffset.UtcNow, 1.2,
    [
        new PredictedHead("queue", ["Technical Support"], 0.81, false),
        new PredictedHead("priority", ["Medium"], 0.64, true),
        new PredictedHead("type", ["Incident"], 0.77, false),
        new PredictedHead("language", ["en"], 0.99, false),
        new PredictedHead("sentiment", ["negative"], 0.7, false),
        new PredictedHead("tags", ["Hardware", "Laptop"], 0.55, false),
    ],
    false, "Laptop will not start", body);

async Task<(double Cpu, double Wall)> Run(int count)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    for (var done = 0; done < count; done += batchSize)
    {
        var batch = Enumerable.Range(done, Math.Min(batchSize, count - done)).Select(Prediction).ToList();
        await store.RecordPredictionsAsync(batch, CancellationToken.None);
    }

    return ((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count, wall.Elapsed.TotalMicroseconds / count);
}

await Run(Math.Min(2_000, total)); // warm-up: JIT, pool, caches
for (var round = 1; round <= 3; round++)
{
    var (cpu, wall) = await Run(total);
    Console.WriteLine($"round {round}: {total} predictions in batches of {batchSize}: {cpu:F1} µs CPU, {wall:F1} µs wall per prediction");
}

await store.DisposeAsync();
Directory.Delete(directory, recursive: true);
