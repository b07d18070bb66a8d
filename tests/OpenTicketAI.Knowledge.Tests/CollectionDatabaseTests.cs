using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

/// <summary>
/// Replicas without a shared volume: each <see cref="KnowledgeIndex"/> has its own directory, and the collection lives in a
/// database they all write and read. One suite, run on SQLite and on PostgreSQL.
/// </summary>
public abstract class CollectionDatabaseBehaviour(EncoderFixture fixture) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _databases = [];

    /// <summary>The replicas' directories and the test's database.</summary>
    protected abstract TestPlace Place { get; }

    protected CollectionDatabase Database(TimeSpan? lockTimeout = null)
    {
        var database = new CollectionDatabase(Place.OpenDatabase()) { LockTimeout = lockTimeout ?? KnowledgeIndex.DefaultWriteLockTimeout };
        _databases.Add(database);
        return database;
    }

    protected KnowledgeIndex Replica(string name, bool encoder = true, TimeSpan? lockTimeout = null) =>
        KnowledgeIndex.Open("tickets", Place.Directory.Combine(name), encoder ? fixture.Encoder : null, database: Database(lockTimeout));

    [SkippableFact]
    public async Task Documents_one_replica_writes_are_found_by_another_with_the_same_vectors_after_it_refreshes()
    {
        using var first = Replica("first");
        using var second = Replica("second");
        var tickets = KnowledgeFixtures.Tickets();

        var written = await first.UpsertAsync(tickets);

        Assert.Equal(new WriteResult(tickets.Count, 0, 0, tickets.Count), written);
        Assert.Equal(0, second.Count);
        Assert.True(await second.RefreshAsync());
        Assert.False(await second.RefreshAsync());
        Assert.Equal(tickets.Count, second.Count);
        Assert.Equal(first.Vector(tickets[3].Id), second.Vector(tickets[3].Id));
        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var hit = second.Search(new KnowledgeQuery { Subject = question, TopK = 1 }).Hits[0];
            Assert.Equal(queue, hit.Document.Queue);
            Assert.NotNull(hit.Cosine);
        }
    }

    [SkippableFact]
    public async Task Replacements_deletes_and_tuned_fusion_reach_the_other_replica()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var first = Replica("first");
        using var second = Replica("second");
        await first.UpsertAsync(tickets);
        await second.RefreshAsync();

        var again = await second.UpsertAsync([tickets[1] with { Answer = "Changed answer." }]);
        var deleted = await second.DeleteAsync([tickets[0].Id, "never-indexed"]);
        await second.SaveFusionAsync(second.Manifest.Fusion with { DenseWeight = 0.42 });

        Assert.Equal(new WriteResult(0, 1, 0, tickets.Count), again);
        Assert.Equal(new WriteResult(0, 0, 1, tickets.Count - 1), deleted);
        Assert.True(await first.RefreshAsync());
        Assert.Null(first.Get(tickets[0].Id));
        Assert.Equal("Changed answer.", first.Get(tickets[1].Id)!.Answer);
        Assert.Equal(0.42, first.Manifest.Fusion.DenseWeight);
        Assert.Equal(second.Documents().Select(d => d.Id), first.Documents().Select(d => d.Id));
    }

    [SkippableFact]
    public async Task A_rebuild_on_one_replica_replaces_what_every_replica_serves()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var first = Replica("first");
        using var second = Replica("second");
        await first.UpsertAsync(tickets);
        await second.RefreshAsync();

        var rebuilt = await second.RebuildAsync(tickets.Take(3).ToList());
        await first.RefreshAsync();
        await first.UpsertAsync([tickets[5]]);
        await second.RefreshAsync();

        Assert.Equal(3, rebuilt.Count);
        var expected = tickets.Take(3).Append(tickets[5]).Select(t => t.Id).Order().ToList();
        Assert.Equal(expected, first.Documents().Select(d => d.Id).Order());
        Assert.Equal(expected, second.Documents().Select(d => d.Id).Order());
    }

    [SkippableFact]
    public async Task A_replica_reopened_on_its_directory_serves_its_copy_and_then_reads_what_it_missed()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var first = Replica("first", encoder: false);
        await first.UpsertAsync(tickets);
        using (var second = Replica("second", encoder: false))
        {
            await second.RefreshAsync();
        }

        await first.DeleteAsync([tickets[0].Id]);
        await first.UpsertAsync([tickets[1] with { Title = "Renamed while the replica was down" }]);
        using var restarted = Replica("second", encoder: false);

        Assert.Equal(tickets.Count, restarted.Count);
        Assert.True(await restarted.RefreshAsync());
        Assert.Equal(tickets.Count - 1, restarted.Count);
        Assert.Equal("Renamed while the replica was down", restarted.Get(tickets[1].Id)!.Title);
    }

    [SkippableFact]
    public async Task A_collection_already_on_disk_is_copied_into_a_database_that_has_none_before_the_first_write()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using (var local = KnowledgeIndex.Open("tickets", Place.Directory.Combine("first"), fixture.Encoder))
        {
            await local.UpsertAsync(tickets.Skip(1).ToList());
        }

        using var first = Replica("first");
        var written = await first.UpsertAsync([tickets[0]]);
        using var second = Replica("second");
        await second.RefreshAsync();

        Assert.Equal(new WriteResult(1, 0, 0, tickets.Count), written);
        Assert.Equal(tickets.Select(t => t.Id).Order(), second.Documents().Select(d => d.Id).Order());
        Assert.Equal(first.Vector(tickets[2].Id), second.Vector(tickets[2].Id));
    }

    [SkippableFact]
    public async Task A_write_with_vectors_of_another_encoder_is_refused_and_changes_nothing()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var encoded = Replica("first");
        await encoded.UpsertAsync(tickets.Take(4).ToList());
        using var int8 = SentenceEncoder.Open(SentenceEncoder.MiniLmInt8Kind, new EncoderOptions { MaxTokens = 128 });
        using var other = KnowledgeIndex.Open("tickets", Place.Directory.Combine("second"), int8, database: Database());
        var database = Database();
        var foreign = encoded.Manifest with { EncoderSha256 = int8.Sha256 };

        await Assert.ThrowsAsync<KnowledgeException>(() => other.UpsertAsync(tickets.Skip(4).ToList()));
        await Assert.ThrowsAsync<KnowledgeException>(() => database.WriteAsync("tickets", foreign, [(tickets[5], null)], [tickets[0].Id], CancellationToken.None));

        Assert.False(await encoded.RefreshAsync());
        Assert.Equal(4, encoded.Count);
        await using var stored = await database.ReadAsync("tickets", null, CancellationToken.None);
        Assert.Equal(4, await stored!.Rows.CountAsync());
    }

    [SkippableFact]
    public async Task Writes_from_two_replicas_at_once_all_reach_both()
    {
        using var first = Replica("first", encoder: false);
        using var second = Replica("second", encoder: false);
        var documents = Enumerable.Range(0, 200).Select(i => new KnowledgeDocument { Id = $"t{i}", Title = $"Ticket number {i}", Body = "Body text." }).ToList();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in documents.Where((_, i) => i % 2 == 0).Chunk(10)) { await first.UpsertAsync(batch); } }),
            Task.Run(async () => { foreach (var batch in documents.Where((_, i) => i % 2 == 1).Chunk(10)) { await second.UpsertAsync(batch); } }));
        await first.RefreshAsync();
        await second.RefreshAsync();

        Assert.Equal(documents.Count, first.Count);
        Assert.Equal(documents.Count, second.Count);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await Place.DisposeAsync();
    }
}

/// <summary>Where a test's replicas keep their copies, and the database they share (a new connection per replica).</summary>
public abstract class TestPlace : IAsyncDisposable
{
    public TempDirectory Directory { get; } = new();

    public abstract SqlDatabase OpenDatabase();

    public virtual ValueTask DisposeAsync()
    {
        Directory.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

public sealed class SqlitePlace : TestPlace
{
    public override SqlDatabase OpenDatabase() => SqlDatabase.Create(DatabaseProvider.Sqlite, null, Directory.Combine("knowledge.db"), Directory.Path);
}

public sealed class PostgreSqlPlace : TestPlace
{
    private readonly PostgreSqlTestSchema _schema = new();

    public override SqlDatabase OpenDatabase() => SqlDatabase.Create(DatabaseProvider.PostgreSql, _schema.ConnectionString, string.Empty, Path.GetTempPath());

    public override async ValueTask DisposeAsync()
    {
        await _schema.DisposeAsync();
        await base.DisposeAsync();
    }
}

[Collection(EncoderCollection.Name)]
public sealed class SqliteCollectionDatabaseTests(EncoderFixture fixture) : CollectionDatabaseBehaviour(fixture)
{
    protected override TestPlace Place { get; } = new SqlitePlace();
}

[Collection(EncoderCollection.Name)]
public sealed class PostgreSqlCollectionDatabaseTests(EncoderFixture fixture) : CollectionDatabaseBehaviour(fixture)
{
    protected override TestPlace Place { get; } = new PostgreSqlPlace();

    // On SQLite the wait is the connection's busy timeout (30 s), too long for a test.
    [SkippableFact]
    public async Task A_write_while_another_writer_holds_the_collection_fails_as_busy_and_changes_nothing()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var replica = Replica("first", encoder: false, lockTimeout: TimeSpan.FromMilliseconds(300));
        await replica.UpsertAsync(tickets.Take(3).ToList());
        await using var other = Place.OpenDatabase();

        await using (var connection = await other.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var hold = connection.CreateCommand();
            hold.Transaction = transaction;
            hold.CommandText = "UPDATE knowledge_collections SET sequence = sequence WHERE name = 'tickets';";
            await hold.ExecuteNonQueryAsync();

            await Assert.ThrowsAsync<KnowledgeBusyException>(() => replica.UpsertAsync([tickets[3]]));
        }

        Assert.Equal(3, replica.Count);
        Assert.Equal(4, (await replica.UpsertAsync([tickets[3]])).Count);
    }
}
