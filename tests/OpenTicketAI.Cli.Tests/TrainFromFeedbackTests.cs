using System.Text.Json.Nodes;
using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai train --from-feedback</c> on a real SQLite feedback database written by the service's own store.</summary>
public sealed class TrainFromFeedbackTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Train_from_a_feedback_database_builds_a_model_of_the_corrected_heads()
    {
        var database = await CreateStoreAsync("feedback.db", tickets: 200);

        var run = await OtaiProcess.RunAsync(_directory.Path, ["train", "--feedback-db", database, "--out", "model", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(run);
        Assert.Contains("read 200 labelled tickets from the feedback store", run.Stderr, StringComparison.Ordinal);
        var manifest = JsonNode.Parse(File.ReadAllText(_directory.Combine("model/model.json")))!;
        Assert.Equal(["priority", "queue"], manifest["heads"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("feedback", manifest["training"]!["sources"]![0]!["path"]!.GetValue<string>());
        Assert.InRange(manifest["metrics"]!["queue"]!["accuracy"]!.GetValue<double>(), 0.8, 1.0);
    }

    [Fact]
    public async Task Train_combines_data_files_with_the_store_named_by_the_service_configuration_keys()
    {
        var database = await CreateStoreAsync("service.db", tickets: 120);
        var csv = _directory.Write("extra.csv", TicketFiles.Csv(FixtureTicket.Synthetic(150, seed: 3)));
        var environment = new Dictionary<string, string>
        {
            ["OTAI__Feedback__Provider"] = "Sqlite",
            ["OTAI__Feedback__ConnectionString"] = $"Data Source={database}",
        };

        var run = await OtaiProcess.RunAsync(_directory.Path, environment, ["train", "--from-feedback", "--data", csv, "--label", "queue", "--out", "combined", .. OtaiProcess.SmallModel]);

        CliAssert.Succeeds(run);
        var sources = JsonNode.Parse(File.ReadAllText(_directory.Combine("combined/model.json")))!["training"]!["sources"]!.AsArray();
        Assert.Equal(["extra.csv", "feedback"], sources.Select(s => Path.GetFileName(s!["path"]!.GetValue<string>())).Order(StringComparer.Ordinal));
        Assert.Equal(120, sources.Single(s => s!["path"]!.GetValue<string>() == "feedback")!["rows"]!.GetValue<int>());
    }

    [Fact]
    public async Task Train_from_an_empty_feedback_store_fails_with_a_clear_error()
    {
        var database = await CreateStoreAsync("empty.db", tickets: 0);

        var run = await OtaiProcess.RunAsync(_directory.Path, "train", "--feedback-db", database, "--out", "model");

        CliAssert.FailsWithUserError(run, "no labelled tickets");
        CliAssert.NoModelWritten(_directory.Combine("model"));
    }

    [Fact]
    public async Task Train_with_a_missing_feedback_database_fails_naming_the_file()
    {
        var run = await OtaiProcess.RunAsync(_directory.Path, "train", "--feedback-db", "missing.db", "--out", "model");

        CliAssert.FailsWithUserError(run, "missing.db", "not found");
        Assert.False(File.Exists(_directory.Combine("missing.db")));
        CliAssert.NoModelWritten(_directory.Combine("model"));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A feedback database with <paramref name="tickets"/> predicted tickets (text stored) and an agent's queue and priority labels for each.</summary>
    private async Task<string> CreateStoreAsync(string fileName, int tickets)
    {
        var path = _directory.Combine(fileName);
        await using var store = FeedbackStoreFactory.Create(new FeedbackOptions { ConnectionString = $"Data Source={path}" }, _directory.Path, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var i = 0;
        foreach (var row in SyntheticTickets.TrainingSet(tickets: tickets, tweets: 0, seed: 17).Rows)
        {
            var ticket = TicketKey.FromApi($"t-{i++}");
            await store.RecordPredictionAsync(
                new PredictionRecord(ticket, "default", "1.0.0", at, 1, [new PredictedHead("queue", ["Sales"], 0.4, true)], false, row.Text.Subject, row.Text.Body),
                CancellationToken.None);
            foreach (var (head, label) in row.Labels)
            {
                await store.RecordFeedbackAsync(new FeedbackRecord(ticket, head, label, "agent", at.AddSeconds(i), FeedbackOrigin.Api), CancellationToken.None);
            }
        }

        return path;
    }
}
