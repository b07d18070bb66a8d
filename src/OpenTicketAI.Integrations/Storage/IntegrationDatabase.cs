using System.Data.Common;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>
/// The database all integration stores share (SQLite file <c>integrations.db</c> by default, or PostgreSQL), migrated on
/// first use; a host that cannot open it fails at start-up (the outbox worker migrates there).
/// </summary>
public sealed class IntegrationDatabase(SqlDatabase database, TimeProvider time) : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;

    public SqlDatabase Database => database;

    public DatabaseProvider Provider => database.Provider;

    /// <summary>Where the data lives, for logs; never contains a password.</summary>
    public string Description => database.Description;

    /// <summary>False only for a SQLite file not created yet: listing an outbox that was never written needs no file.</summary>
    public bool Exists => database.Provider != DatabaseProvider.Sqlite || File.Exists(database.Description);

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => IntegrationSchema.Schema.Version;

    public TimeProvider Time => time;

    public long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates the database if needed and applies pending migrations. Idempotent.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await IntegrationSchema.Schema.MigrateAsync(database, time, cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    public Task<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken) => IntegrationSchema.Schema.AppliedAsync(database, cancellationToken);

    /// <summary>A connection to the migrated database.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await database.OpenAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        _migrateGate.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
