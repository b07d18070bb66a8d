using Npgsql;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Feedback.Tests.Storage;

/// <summary>A database the behaviour suite runs on; each test gets its own, and every <see cref="OpenAsync"/> opens the same one anew.</summary>
public interface IStoreDatabase : IAsyncDisposable
{
    /// <summary>A new store over the test's database, migrated.</summary>
    Task<SqlFeedbackStore> OpenAsync();
}

/// <summary>A real SQLite file in a temporary directory.</summary>
public sealed class SqliteStoreDatabase : IStoreDatabase
{
    private readonly TempDirectory _directory = new();

    public string FilePath => _directory.Combine("data/feedback.db");

    public async Task<SqlFeedbackStore> OpenAsync()
    {
        // The default file (data/feedback.db) relative to the content root, as the service opens it.
        var store = FeedbackStoreFactory.Create(new FeedbackOptions(), _directory.Path, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

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
public sealed class PostgreSqlStoreDatabase : IStoreDatabase
{
    public const string Variable = "OTAI_TEST_POSTGRES";

    private readonly string _schema = "otai_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;

    public async Task<SqlFeedbackStore> OpenAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set but CI=true: .ci/run must start PostgreSQL and export {Variable} (a connection string), so the PostgreSQL store is tested.");
            }

            Skip.If(true, $"PostgreSQL store not tested: set {Variable} to a connection string (e.g. Host=localhost;Username=otai;Password=otai;Database=otai_test).");
        }

        if (_connectionString is null)
        {
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {_schema};", connection);
                await create.ExecuteNonQueryAsync();
            }

            _connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ConnectionString;
        }

        var store = FeedbackStoreFactory.Create(
            new FeedbackOptions { Provider = FeedbackProvider.PostgreSql, ConnectionString = _connectionString },
            Path.GetTempPath(),
            TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(Variable));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
