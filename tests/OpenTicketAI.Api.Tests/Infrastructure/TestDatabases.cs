using OpenTicketAI.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>A database for the feedback and training-job stores; each test gets its own, and every host or store handle opens the same one.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    DatabaseProvider Provider { get; }

    /// <summary>The settings that point a host at this database (<c>Feedback:Provider</c>, <c>Feedback:ConnectionString</c>).</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>A new handle on the database, as another replica would open it.</summary>
    SqlDatabase Open();
}

/// <summary>A real SQLite file in a temporary directory.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly TempDirectory _directory = new();

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string FilePath => _directory.Combine("feedback.db");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Feedback:ConnectionString"] = $"Data Source={FilePath}" };

    public SqlDatabase Open() => SqlDatabase.Create(DatabaseProvider.Sqlite, $"Data Source={FilePath}", "unused", _directory.Path);

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

    public string ConnectionString => _schema.ConnectionString;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Feedback:Provider"] = "PostgreSql",
        ["Feedback:ConnectionString"] = ConnectionString,
    };

    public SqlDatabase Open() => SqlDatabase.Create(DatabaseProvider.PostgreSql, ConnectionString, "unused", Path.GetTempPath());

    public ValueTask DisposeAsync() => _schema.DisposeAsync();
}

/// <summary>A clock the test moves by hand, shared by the store handles of one test.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
