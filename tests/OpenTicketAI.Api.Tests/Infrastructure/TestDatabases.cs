using Npgsql;
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

/// <summary>
/// A fresh schema on the PostgreSQL server named by <c>OTAI_TEST_POSTGRES</c>. Without the variable the test is skipped
/// (and says why), except under CI, where it fails: CI must run the PostgreSQL path.
/// </summary>
public sealed class PostgreSqlTestDatabase : ITestDatabase
{
    public const string Variable = "OTAI_TEST_POSTGRES";

    private readonly string _schema = "otai_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;

    public DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Feedback:Provider"] = "PostgreSql",
        ["Feedback:ConnectionString"] = ConnectionString,
    };

    /// <summary>The test's schema on the server; creates it on first use, or skips the test without a server.</summary>
    public string ConnectionString
    {
        get
        {
            if (_connectionString is not null)
            {
                return _connectionString;
            }

            var server = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(server))
            {
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"{Variable} is not set but CI=true: .ci/run must start PostgreSQL and export {Variable}.");
                }

                Skip.If(true, $"PostgreSQL not tested: set {Variable} to a connection string (e.g. Host=localhost;Username=otai;Password=otai;Database=otai_test).");
            }

            using (var connection = new NpgsqlConnection(server))
            {
                connection.Open();
                using var create = new NpgsqlCommand($"CREATE SCHEMA {_schema};", connection);
                create.ExecuteNonQuery();
            }

            _connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
            return _connectionString;
        }
    }

    public SqlDatabase Open() => SqlDatabase.Create(DatabaseProvider.PostgreSql, ConnectionString, "unused", Path.GetTempPath());

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(Variable));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A clock the test moves by hand, shared by the store handles of one test.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
