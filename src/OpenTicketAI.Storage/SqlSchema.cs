using System.Data.Common;
using Dapper;

namespace OpenTicketAI.Storage;

/// <summary>
/// A store's schema as versioned migrations in SQL both SQLite and PostgreSQL run (<c>{id}</c> stands for the dialect's
/// auto-incrementing key, <c>{blob}</c> for its binary type). Append, never edit: <see cref="VersionsTable"/> records which versions a database has, so
/// stores sharing one database keep separate tables.
/// </summary>
/// <param name="AdoptedVersion">For a database written before it had <see cref="VersionsTable"/>: how many migrations it already has.</param>
public sealed record SqlSchema(
    string Name,
    string VersionsTable,
    IReadOnlyList<string> Migrations,
    Func<DbConnection, DbTransaction, CancellationToken, Task<int>>? AdoptedVersion = null)
{
    public int Version => Migrations.Count;

    /// <summary>Applies the pending migrations in one transaction, under the migration lock; idempotent.</summary>
    public async Task MigrateAsync(SqlDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        await database.PrepareAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LockForMigrationAsync(connection, transaction);
        await Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {VersionsTable} (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);", null, cancellationToken);
        var applied = (int)(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MAX(version) FROM {VersionsTable};", transaction: transaction, cancellationToken: cancellationToken)) ?? 0);
        if (applied == 0 && AdoptedVersion is not null)
        {
            var adopted = await AdoptedVersion(connection, transaction, cancellationToken);
            for (var version = 1; version <= Math.Min(adopted, Migrations.Count); version++)
            {
                await Record(connection, transaction, version, time, cancellationToken);
            }

            applied = adopted;
        }

        if (applied > Migrations.Count)
        {
            throw new InvalidOperationException(
                $"{database.Description}: {Name} schema version {applied} is newer than this build understands ({Migrations.Count}); run the newer version or restore a backup.");
        }

        for (var version = applied; version < Migrations.Count; version++)
        {
            await Execute(connection, transaction, Migrations[version].Replace("{id}", database.IdentityColumn, StringComparison.Ordinal).Replace("{blob}", database.BlobColumn, StringComparison.Ordinal), null, cancellationToken);
            await Record(connection, transaction, version + 1, time, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The schema versions applied to the database, in order.</summary>
    public async Task<IReadOnlyList<int>> AppliedAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var versions = await connection.QueryAsync<long>(new CommandDefinition($"SELECT version FROM {VersionsTable} ORDER BY version;", cancellationToken: cancellationToken));
        return versions.Select(v => (int)v).ToList();
    }

    private Task<int> Record(DbConnection connection, DbTransaction transaction, int version, TimeProvider time, CancellationToken cancellationToken) =>
        Execute(connection, transaction, $"INSERT INTO {VersionsTable} (version, applied_at) VALUES (@version, @at);", new { version, at = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken);

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}
