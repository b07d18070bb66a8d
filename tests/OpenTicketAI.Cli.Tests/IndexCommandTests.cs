using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai index</c> from a training recipe and from the feedback store (BM25 only, so no encoder runs).</summary>
public sealed class IndexCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Index_from_a_recipe_stores_each_row_with_its_answer_queue_and_tags_and_indexing_again_replaces_them()
    {
        _directory.Write("tickets.csv", """
            subject,body,reply,queue,tag_1,tag_2
            VPN drops,The VPN disconnects every hour,Update the VPN client to 5.2.,Network,vpn,
            VPN unstable,Cannot stay connected to the VPN,Switch the protocol to IKEv2.,Network,vpn,remote
            Charged twice,The invoice was paid twice,We refunded the duplicate charge.,Billing,refund,
            Refund please,Double payment on my card,,Billing,,
            """);
        _directory.Write("recipe.json", """
            {
              "name": "past-tickets",
              "heads": { "queue": "single", "tags": "multi" },
              "sources": [ { "path": "tickets.csv", "answer": "reply", "labels": { "queue": "queue" }, "tags": "tag_*" } ]
            }
            """);

        var first = await OtaiProcess.RunAsync(_directory.Path, "index", "--recipe", "recipe.json", "--encoder", "none", "--root", "kb");
        var again = await OtaiProcess.RunAsync(_directory.Path, "index", "--recipe", "recipe.json", "--encoder", "none", "--root", "kb");

        CliAssert.Succeeds(first);
        CliAssert.Succeeds(again);
        Assert.Contains("read 4 rows from the recipe recipe.json (3 with an answer)", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("tickets: 0 added, 4 replaced, 4 documents", again.Stderr, StringComparison.Ordinal);
        using var index = KnowledgeIndex.Open("tickets", _directory.Combine("kb/tickets"), null);
        var hit = index.Search(new KnowledgeQuery { Subject = "my VPN connection keeps dropping", TopK = 1, Mode = RetrievalMode.Lexical }).Hits[0].Document;
        Assert.Equal(4, index.Count);
        Assert.Equal(("VPN drops", "Update the VPN client to 5.2.", "Network"), (hit.Title, hit.Answer, hit.Queue));
        Assert.Equal(["vpn"], hit.Tags);
        Assert.Null(index.Documents().Single(d => d.Title == "Refund please").Answer);
    }

    [Fact]
    public async Task Index_writes_into_the_service_collection_database_where_a_replica_with_its_own_directory_finds_the_documents()
    {
        _directory.Write("tickets.csv", """
            id,subject,body,answer,queue
            1,VPN drops,The VPN disconnects every hour,Update the VPN client to 5.2.,Network
            2,Charged twice,The invoice was paid twice,We refunded the duplicate charge.,Billing
            """);
        var service = new Dictionary<string, string> { ["OTAI__Knowledge__Provider"] = "Sqlite" };

        var run = await OtaiProcess.RunAsync(_directory.Path, service, "index", "--data", "tickets.csv", "--encoder", "none", "--root", "kb");

        CliAssert.Succeeds(run);
        Assert.Contains("tickets: 2 added, 0 replaced, 2 documents", run.Stderr, StringComparison.Ordinal);
        await using var database = new CollectionDatabase(SqlDatabase.Create(DatabaseProvider.Sqlite, null, _directory.Combine("kb/" + CollectionDatabase.SqliteFile), _directory.Path));
        using var replica = KnowledgeIndex.Open("tickets", _directory.Combine("replica/tickets"), null, database: database);
        Assert.True(await replica.RefreshAsync());
        Assert.Equal("We refunded the duplicate charge.", replica.Get("2")!.Answer);
    }

    [Fact]
    public async Task Index_from_feedback_takes_the_resolved_tickets_with_the_agents_labels_and_all_of_them_when_asked()
    {
        var database = await CreateStoreAsync();

        var resolved = await OtaiProcess.RunAsync(_directory.Path, "index", "--feedback-db", database, "--collection", "past", "--encoder", "none", "--root", "kb");
        var all = await OtaiProcess.RunAsync(_directory.Path, "index", "--feedback-db", database, "--include-unresolved", "--collection", "everything", "--encoder", "none", "--root", "kb");

        CliAssert.Succeeds(resolved);
        CliAssert.Succeeds(all);
        Assert.Contains("read 1 resolved tickets from the feedback store", resolved.Stderr, StringComparison.Ordinal);
        using var past = KnowledgeIndex.Open("past", _directory.Combine("kb/past"), null);
        var document = Assert.Single(past.Documents());
        Assert.Equal(
            ("zammad/main:81", "81", "VPN drops", "The VPN disconnects every hour", "Network", At.AddHours(2)),
            (document.Id, document.Reference, document.Title, document.Body, document.Queue, document.Date));
        using var everything = KnowledgeIndex.Open("everything", _directory.Combine("kb/everything"), null);
        Assert.Equal(["zammad/main:81", "zammad/main:82"], everything.Documents().Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Index_writes_where_the_service_reads_when_its_knowledge_path_is_in_the_environment()
    {
        _directory.Write("tickets.jsonl", "{\"id\": \"t1\", \"subject\": \"VPN drops\", \"body\": \"The VPN disconnects every hour.\"}\n");
        var volume = _directory.Combine("volume/knowledge");

        var run = await OtaiProcess.RunAsync(_directory.Path, new Dictionary<string, string> { ["OTAI__Knowledge__Path"] = volume }, "index", "--data", "tickets.jsonl", "--encoder", "none");

        CliAssert.Succeeds(run);
        using var index = KnowledgeIndex.Open("tickets", Path.Combine(volume, "tickets"), null);
        Assert.Equal("VPN drops", index.Get("t1")!.Title);
        Assert.False(Directory.Exists(_directory.Combine("data")));
    }

    [Fact]
    public async Task Index_with_a_missing_recipe_fails_naming_the_file()
    {
        var run = await OtaiProcess.RunAsync(_directory.Path, "index", "--recipe", "missing.json", "--encoder", "none", "--root", "kb");

        CliAssert.FailsWithUserError(run, "missing.json", "not found");
    }

    public void Dispose() => _directory.Dispose();

    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Two help-desk tickets with stored text, each moved by an agent (a correction); only the first was closed.</summary>
    private async Task<string> CreateStoreAsync()
    {
        var path = _directory.Combine("feedback.db");
        await using var store = FeedbackStoreFactory.Create(new FeedbackOptions { ConnectionString = $"Data Source={path}" }, _directory.Path, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        foreach (var (id, subject, body, queue) in new[] { ("81", "VPN drops", "The VPN disconnects every hour", "Network"), ("82", "Charged twice", "The invoice was paid twice", "Billing") })
        {
            var ticket = TicketKey.FromHelpDesk("zammad", "main", id);
            await store.RecordPredictionAsync(new PredictionRecord(ticket, "default", "1.0.0", At, 1, [new PredictedHead("queue", ["Sales"], 0.4, true)], false, subject, body), CancellationToken.None);
            await store.RecordFeedbackAsync(new FeedbackRecord(ticket, "queue", queue, "agent", At.AddHours(1), FeedbackOrigin.HelpDesk), CancellationToken.None);
        }

        await store.RecordLifecycleEventAsync(new TicketLifecycleEvent(TicketKey.FromHelpDesk("zammad", "main", "81"), TicketLifecycleKind.Resolved, At.AddHours(2)), CancellationToken.None);
        return path;
    }
}
