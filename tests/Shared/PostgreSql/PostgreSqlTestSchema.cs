using Npgsql;

namespace OpenTicketAI.Testing;

/// <summary>
/// A fresh schema on the PostgreSQL server named by <c>OTAI_TEST_POSTGRES</c>, dropped on dispose. Without the variable the
/// test is skipped (and says why), except under CI, where it fails: CI must run the PostgreSQL path. Linked by the test
/// projects that reference Npgsql and Xunit.SkippableFact.
/// </summary>
public sealed class PostgreSqlTestSchema : IAsyncDisposable
{
    public const string Variable = "OTAI_TEST_POSTGRES";

    private readonly string _schema = "otai_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _connectionString;

    /// <summary>The test's schema on the server; creates it on first use, or skips the test without a server.</summary>
    public string ConnectionString
    {
        get
        {
            if (_connectionString is not null)
            {
                return _connectionString;
            }

            var server = Server();
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

    /// <summary>The server's connection string; skips the test when none is set outside CI.</summary>
    public static string Server()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set but CI=true: .ci/run must start PostgreSQL and export {Variable} (a connection string), so the PostgreSQL stores are tested.");
            }

            Skip.If(true, $"PostgreSQL not tested: set {Variable} to a connection string (e.g. Host=localhost;Username=otai;Password=otai;Database=otai_test).");
        }

        return server!;
    }

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
