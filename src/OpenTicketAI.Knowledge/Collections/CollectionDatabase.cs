using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenTicketAI.Knowledge.Retrieval;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Knowledge.Collections;

/// <summary>How far a replica's copy of a collection has read the database: the generation (one per rebuild) and the last row's sequence.</summary>
public sealed record DatabasePosition(string Generation, long Sequence);

/// <summary>A row as the database holds it: a document with its float16 vector, or a deleted id (no document).</summary>
public sealed record StoredDocument(string Id, KnowledgeDocument? Document, byte[]? Vector);

/// <summary>
/// What a replica has not read yet, from one snapshot: the collection's generation, manifest and last sequence, and either
/// every live row (<see cref="Whole"/>: a first read, or a rebuild since) or the rows written after the replica's
/// position, deletions included. <see cref="Rows"/> are read from the database as they are enumerated (a whole
/// collection is never held twice in memory): enumerate them once, then dispose, which ends the snapshot.
/// </summary>
public sealed class DatabaseChanges(DatabasePosition position, CollectionManifest manifest, bool whole, IAsyncEnumerable<StoredDocument> rows, IAsyncDisposable snapshot) : IAsyncDisposable
{
    public DatabasePosition Position { get; } = position;

    public CollectionManifest Manifest { get; } = manifest;

    public bool Whole { get; } = whole;

    public IAsyncEnumerable<StoredDocument> Rows { get; } = rows;

    public ValueTask DisposeAsync() => snapshot.DisposeAsync();
}

/// <summary>
/// Knowledge collections kept in PostgreSQL (or SQLite), so replicas without a shared volume serve the same documents.
/// Every write goes to the database first; the collection's row is locked by each write, so sequence numbers are assigned
/// in commit order and a replica that replays the rows after its position misses none. Each replica's
/// <see cref="KnowledgeIndex"/> stays its own Lucene copy and applies the rows in order; vectors travel with the rows, so
/// no replica encodes what another already encoded. A deletion stays as a row without a document until the next rebuild.
/// </summary>
public sealed class CollectionDatabase(SqlDatabase database) : IAsyncDisposable
{
    /// <summary>The SQLite file's name in the collections' directory when no connection string names another.</summary>
    public const string SqliteFile = "knowledge.db";

    /// <summary>Ids per <c>IN</c> list, well under SQLite's parameter limit.</summary>
    private const int Chunk = 500;

    public static SqlSchema Schema { get; } = new("knowledge", "knowledge_schema_versions",
    [
        """
        CREATE TABLE knowledge_collections (
            name TEXT PRIMARY KEY,
            generation TEXT NOT NULL,
            manifest TEXT NOT NULL,
            sequence BIGINT NOT NULL,
            documents BIGINT NOT NULL);
        CREATE TABLE knowledge_documents (
            collection TEXT NOT NULL,
            id TEXT NOT NULL,
            sequence BIGINT NOT NULL,
            document TEXT NULL,
            vector {blob} NULL,
            PRIMARY KEY (collection, id));
        CREATE INDEX ix_knowledge_documents_sequence ON knowledge_documents (collection, sequence);
        """,
    ]);

    private static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _migration = new(1, 1);
    private bool _migrated;

    /// <summary>Where the collections live, for messages.</summary>
    public string Description => database.Description;

    /// <summary>The collections the database holds, each with its manifest (which encoder its vectors come from).</summary>
    public async Task<IReadOnlyDictionary<string, CollectionManifest>> CollectionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Manifest)>(new CommandDefinition("SELECT name, manifest FROM knowledge_collections ORDER BY name;", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Name, r => FromJson(r.Manifest), StringComparer.Ordinal);
    }

    /// <summary>How long a write waits for another writer of the same collection before <see cref="KnowledgeBusyException"/>.</summary>
    public TimeSpan LockTimeout { get; init; } = KnowledgeIndex.DefaultWriteLockTimeout;

    /// <summary>
    /// Writes documents (with the vectors the writer's encoder made) and deletions in one transaction. A collection the
    /// database does not have yet starts with <paramref name="manifest"/>; one whose vectors come from another encoder refuses the write.
    /// </summary>
    public Task<WriteResult> WriteAsync(string name, CollectionManifest manifest, IReadOnlyList<(KnowledgeDocument Document, float[]? Vector)> puts, IReadOnlyList<string> deletes, CancellationToken cancellationToken) =>
        WaitingAtMost(name, () => WriteUnderLockAsync(name, manifest, puts, deletes, cancellationToken));

    private async Task<WriteResult> WriteUnderLockAsync(string name, CollectionManifest manifest, IReadOnlyList<(KnowledgeDocument Document, float[]? Vector)> puts, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LimitLockWaitAsync(connection, transaction, LockTimeout);
        await Execute(connection, transaction, """
            INSERT INTO knowledge_collections (name, generation, manifest, sequence, documents) VALUES (@name, @generation, @manifest, 0, 0)
            ON CONFLICT (name) DO NOTHING;
            """, new { name, generation = NewGeneration(), manifest = ToJson(manifest) }, cancellationToken);
        // Locks the collection's row until the commit, so writers take their sequence numbers in the order they commit.
        var head = await connection.QuerySingleAsync<CollectionRow>(new CommandDefinition(
            "UPDATE knowledge_collections SET sequence = sequence WHERE name = @name RETURNING generation, manifest, sequence;",
            new { name }, transaction, cancellationToken: cancellationToken));
        var stored = FromJson(head.Manifest);
        if (!string.Equals(stored.EncoderSha256, manifest.EncoderSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new KnowledgeException($"{Description}: collection '{name}' holds vectors of the encoder with SHA-256 {stored.EncoderSha256 ?? "none"}, not {manifest.EncoderSha256 ?? "none"}; rebuild it with one encoder (otai index --rebuild).");
        }

        var sequence = head.Sequence;
        var live = await LiveIdsAsync(connection, transaction, name, puts.Select(p => p.Document.Id).Concat(deletes).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var rows = puts.Select(p => new { collection = name, id = p.Document.Id, sequence = ++sequence, document = JsonSerializer.Serialize(p.Document, DocumentJson), vector = p.Vector is null ? null : VectorTable.ToBytes(p.Vector) }).ToList();
        await Execute(connection, transaction, """
            INSERT INTO knowledge_documents (collection, id, sequence, document, vector) VALUES (@collection, @id, @sequence, @document, @vector)
            ON CONFLICT (collection, id) DO UPDATE SET sequence = excluded.sequence, document = excluded.document, vector = excluded.vector;
            """, rows, cancellationToken);
        var gone = deletes.Where(live.Contains).Distinct(StringComparer.Ordinal).Select(id => new { collection = name, id, sequence = ++sequence }).ToList();
        await Execute(connection, transaction,
            "UPDATE knowledge_documents SET sequence = @sequence, document = NULL, vector = NULL WHERE collection = @collection AND id = @id;", gone, cancellationToken);
        var replaced = puts.Count(p => live.Contains(p.Document.Id));
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE knowledge_collections SET sequence = @sequence, documents = documents + @change WHERE name = @name RETURNING documents;",
            new { name, sequence, change = (long)(puts.Count - replaced - gone.Count) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult(puts.Count - replaced, replaced, gone.Count, (int)count);
    }

    /// <summary>Replaces every document of the collection (or creates it) in one transaction, under a new generation.</summary>
    public Task<WriteResult> ReplaceAsync(string name, CollectionManifest manifest, IReadOnlyList<(KnowledgeDocument Document, float[]? Vector)> documents, CancellationToken cancellationToken) =>
        WaitingAtMost(name, () => ReplaceUnderLockAsync(name, manifest, documents, cancellationToken));

    private async Task<WriteResult> ReplaceUnderLockAsync(string name, CollectionManifest manifest, IReadOnlyList<(KnowledgeDocument Document, float[]? Vector)> documents, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LimitLockWaitAsync(connection, transaction, LockTimeout);
        var values = new { name, generation = NewGeneration(), manifest = ToJson(manifest), sequence = (long)documents.Count };
        await Execute(connection, transaction, """
            INSERT INTO knowledge_collections (name, generation, manifest, sequence, documents) VALUES (@name, @generation, @manifest, @sequence, @sequence)
            ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, manifest = excluded.manifest, sequence = excluded.sequence, documents = excluded.documents;
            """, values, cancellationToken);
        await Execute(connection, transaction, "DELETE FROM knowledge_documents WHERE collection = @name;", new { name }, cancellationToken);
        var rows = documents.Select((p, i) => new { collection = name, id = p.Document.Id, sequence = (long)i + 1, document = JsonSerializer.Serialize(p.Document, DocumentJson), vector = p.Vector is null ? null : VectorTable.ToBytes(p.Vector) });
        await Execute(connection, transaction,
            "INSERT INTO knowledge_documents (collection, id, sequence, document, vector) VALUES (@collection, @id, @sequence, @document, @vector);", rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new WriteResult(documents.Count, 0, 0, documents.Count);
    }

    /// <summary>Stores a new manifest (e.g. re-tuned fusion) for the collection's current generation.</summary>
    public async Task SaveManifestAsync(string name, CollectionManifest manifest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE knowledge_collections SET manifest = @manifest WHERE name = @name;", new { name, manifest = ToJson(manifest) }, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            throw new KnowledgeException($"{Description}: no collection named '{name}'; write documents before tuning it.");
        }
    }

    /// <summary>What a replica at <paramref name="position"/> has not read; null when the database has no such collection.</summary>
    public async Task<DatabaseChanges?> ReadAsync(string name, DatabasePosition? position, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        var snapshot = new Snapshot(connection);
        try
        {
            var transaction = snapshot.Transaction = await database.BeginReadAsync(connection, cancellationToken);
            var head = await connection.QuerySingleOrDefaultAsync<CollectionRow>(new CommandDefinition(
                "SELECT generation, manifest, sequence FROM knowledge_collections WHERE name = @name;", new { name }, transaction, cancellationToken: cancellationToken));
            if (head is null)
            {
                await snapshot.DisposeAsync();
                return null;
            }

            var whole = position?.Generation != head.Generation;
            var sql = whole
                ? "SELECT id, document, vector FROM knowledge_documents WHERE collection = @name AND document IS NOT NULL ORDER BY sequence;"
                : "SELECT id, document, vector FROM knowledge_documents WHERE collection = @name AND sequence > @after ORDER BY sequence;";
            var rows = whole || position!.Sequence < head.Sequence
                ? connection.QueryUnbufferedAsync<DocumentRow>(sql, new { name, after = position?.Sequence ?? 0 }, transaction)
                    .Select(r => new StoredDocument(r.Id, r.Document is null ? null : JsonSerializer.Deserialize<KnowledgeDocument>(r.Document, DocumentJson), r.Vector))
                : AsyncEnumerable.Empty<StoredDocument>();
            return new DatabaseChanges(new DatabasePosition(head.Generation, head.Sequence), FromJson(head.Manifest), whole, rows, snapshot);
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    /// <summary>A write that gave up waiting for another writer's lock changed nothing: the caller may try again (503).</summary>
    private async Task<WriteResult> WaitingAtMost(string name, Func<Task<WriteResult>> write)
    {
        try
        {
            return await write();
        }
        catch (DbException ex) when (database.IsLockTimeout(ex))
        {
            throw new KnowledgeBusyException($"another writer has held collection '{name}' in {Description} for over {LockTimeout.TotalSeconds:0.#} s; try again.", ex);
        }
    }

    /// <summary>A connection to the database, its schema migrated on first use (a failed migration is tried again next time).</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await _migration.WaitAsync(cancellationToken);
            try
            {
                if (!_migrated)
                {
                    await Schema.MigrateAsync(database, TimeProvider.System, cancellationToken);
                    _migrated = true;
                }
            }
            finally
            {
                _migration.Release();
            }
        }

        return await database.OpenAsync(cancellationToken);
    }

    private async Task<HashSet<string>> LiveIdsAsync(DbConnection connection, DbTransaction transaction, string name, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // Dapper sends a list to PostgreSQL as one array parameter and spells it out for SQLite.
        var among = database.Provider == DatabaseProvider.PostgreSql ? "= ANY(@ids)" : "IN @ids";
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            live.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT id FROM knowledge_documents WHERE collection = @name AND document IS NOT NULL AND id {among};", new { name, ids = chunk }, transaction, cancellationToken: cancellationToken)));
        }

        return live;
    }

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private static string NewGeneration() => Guid.NewGuid().ToString("N");

    private static string ToJson(CollectionManifest manifest) => JsonSerializer.Serialize(manifest, CollectionManifest.JsonOptions);

    private static CollectionManifest FromJson(string json) =>
        JsonSerializer.Deserialize<CollectionManifest>(json, CollectionManifest.JsonOptions) ?? throw new KnowledgeException("empty collection manifest in the database.");

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        _migration.Dispose();
    }

    private sealed record CollectionRow(string Generation, string Manifest, long Sequence);

    /// <summary>The connection and read transaction of one <see cref="ReadAsync"/>.</summary>
    private sealed class Snapshot(DbConnection connection) : IAsyncDisposable
    {
        public DbTransaction? Transaction { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
    }

    private sealed record DocumentRow(string Id, string? Document, byte[]? Vector);
}
