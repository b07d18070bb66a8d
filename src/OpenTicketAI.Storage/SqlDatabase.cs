using System.Data.Common;
using Dapper;
using Medallion.Threading.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenTicketAI.Storage;

/// <summary>
/// Opens connections to one SQLite file or PostgreSQL database and knows the little SQL that differs between them.
/// Shared by the feedback store and the integration stores, so both open, migrate and lock the same way.
/// </summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Where the data lives, for messages; never contains a password.</summary>
    public abstract string Description { get; }

    /// <summary>The column type of an auto-incrementing primary key.</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>The column type of binary data.</summary>
    public abstract string BlobColumn { get; }

    /// <summary>Appended to a <c>SELECT</c> that claims rows: PostgreSQL locks them and skips rows another replica holds; SQLite's single writer needs nothing.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// The SQLite file or PostgreSQL database <paramref name="connectionString"/> names; an empty SQLite connection string means
    /// <paramref name="defaultSqliteFile"/>, and a relative SQLite file starts at <paramref name="contentRoot"/>.
    /// </summary>
    public static SqlDatabase Create(DatabaseProvider provider, string? connectionString, string defaultSqliteFile, string contentRoot) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDatabase(connectionString, defaultSqliteFile, contentRoot),
        DatabaseProvider.PostgreSql => new PostgreSqlDatabase(string.IsNullOrWhiteSpace(connectionString)
            ? throw new ArgumentException("A connection string is required for PostgreSql.", nameof(connectionString))
            : connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A read-only transaction over one consistent snapshot that does not block writers.</summary>
    public abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Called before the migration transaction starts (SQLite: create the directory and switch to WAL).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Inside the migration transaction: keeps other replicas from migrating at the same time.</summary>
    public virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    /// <summary>
    /// Inside a write transaction: how long its statements wait for another transaction's row locks before failing with an
    /// error <see cref="IsLockTimeout"/> recognises. SQLite waits for its one writer as long as the connection's timeout says.
    /// </summary>
    public virtual Task LimitLockWaitAsync(DbConnection connection, DbTransaction transaction, TimeSpan timeout) => Task.CompletedTask;

    /// <summary>Whether a statement failed because it waited too long for a lock another transaction holds.</summary>
    public abstract bool IsLockTimeout(DbException exception);

    /// <summary>
    /// Leadership of <paramref name="name"/> (a poller, a periodic job): null while another replica holds it. The lease's
    /// <see cref="ILeadership.Lost"/> fires when the hold ends without being released (the database connection dropped), so the
    /// holder stops; a replica that dies loses it with its connection and another takes over.
    /// </summary>
    public abstract Task<ILeadership?> TryAcquireLeadershipAsync(string name, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>Held leadership; dispose to hand it over.</summary>
public interface ILeadership : IAsyncDisposable
{
    CancellationToken Lost { get; }
}

internal sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string? connectionString, string defaultSqliteFile, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? $"Data Source={defaultSqliteFile}" : connectionString);
        if (builder.DataSource != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        }

        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.ForeignKeys = true;
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        FilePath = builder.DataSource;
        _connectionString = builder.ToString();
    }

    public string FilePath { get; }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string Description => FilePath;

    public override string IdentityColumn => "INTEGER PRIMARY KEY";

    public override string BlobColumn => "BLOB";

    public override string SkipLocked => string.Empty;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Deferred: a WAL reader sees the snapshot of its first read and takes no write lock (the default, IMMEDIATE, would).
    public override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // SQLITE_BUSY and SQLITE_LOCKED.
    public override bool IsLockTimeout(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(FilePath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
    }

    // One file is one replica: it always leads.
    public override Task<ILeadership?> TryAcquireLeadershipAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<ILeadership?>(new LocalLeadership());

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private sealed class LocalLeadership : ILeadership
    {
        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed class PostgreSqlDatabase(string connectionString) : SqlDatabase
{
    /// <summary>An arbitrary constant: the advisory lock that serializes migrations across replicas.</summary>
    private const long MigrationLock = 0x07A1_FEED;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    // Advisory locks are per database, not per schema: two deployments in one database (schemas) must not share leaders.
    private readonly string _scope = $"{new NpgsqlConnectionStringBuilder(connectionString).Database}/{new NpgsqlConnectionStringBuilder(connectionString).SearchPath}";

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string Description
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public override string IdentityColumn => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";

    public override string BlobColumn => "BYTEA";

    public override string SkipLocked => "FOR UPDATE SKIP LOCKED";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key);", new { key = MigrationLock }, transaction);

    // SET takes no parameters; the value is an integer this process formats.
    public override Task LimitLockWaitAsync(DbConnection connection, DbTransaction transaction, TimeSpan timeout) =>
        connection.ExecuteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {Math.Max(1, (long)timeout.TotalMilliseconds)};"), transaction: transaction);

    public override bool IsLockTimeout(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

    // A session advisory lock on a held connection; the library pings the connection so a dropped one fires HandleLostToken.
    public override async Task<ILeadership?> TryAcquireLeadershipAsync(string name, CancellationToken cancellationToken)
    {
        var advisoryLock = new PostgresDistributedLock(
            new PostgresAdvisoryLockKey($"otai:{_scope}:{name}", allowHashing: true),
            connectionString,
            options => options.KeepaliveCadence(TimeSpan.FromSeconds(5)));
        var handle = await advisoryLock.TryAcquireAsync(TimeSpan.Zero, cancellationToken);
        return handle is null ? null : new AdvisoryLeadership(handle);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class AdvisoryLeadership(PostgresDistributedLockHandle handle) : ILeadership
    {
        public CancellationToken Lost => handle.HandleLostToken;

        public ValueTask DisposeAsync() => handle.DisposeAsync();
    }
}
