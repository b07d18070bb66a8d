using OpenTicketAI.Integrations.Storage;
using OpenTicketAI.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Storage;

/// <summary>A database the integration store suite runs on; each test gets its own, and <see cref="Open"/> opens it anew (another replica).</summary>
public interface ITestDatabase : IAsyncDisposable
{
    DatabaseProvider Provider { get; }

    /// <summary>The settings that point a host at this database.</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>A new handle on the test's database (as a separate replica would open it), not yet migrated.</summary>
    IntegrationDatabase Open();
}

/// <summary>A real SQLite file in a temporary directory.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly TempDirectory _directory = new();

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string FilePath => _directory.Combine("integrations.db");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Integrations:DataDirectory"] = _directory.Path };

    public IntegrationDatabase Open() => new(SqlDatabase.Create(DatabaseProvider.Sqlite, null, FilePath, _directory.Path), TimeProvider.System);

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh schema on the PostgreSQL server named by <c>OTAI_TEST_POSTGRES</c> (skipped without one outside CI).</summary>
public sealed class PostgreSqlTestDatabase : ITestDatabase
{
    private readonly PostgreSqlTestSchema _schema = new();

    public DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Integrations:Provider"] = "PostgreSql",
        ["Integrations:ConnectionString"] = ConnectionString,
    };

    public string ConnectionString => _schema.ConnectionString;

    public IntegrationDatabase Open() => new(SqlDatabase.Create(DatabaseProvider.PostgreSql, ConnectionString, "unused", Path.GetTempPath()), TimeProvider.System);

    public ValueTask DisposeAsync() => _schema.DisposeAsync();
}
