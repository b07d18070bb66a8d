using Microsoft.Data.Sqlite;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Tests.Storage;

/// <summary>An <c>integrations.db</c> written by the single-file outbox (schema counted in <c>PRAGMA user_version</c>) opens and migrates on.</summary>
public sealed class LegacyOutboxFileTests : IAsyncLifetime
{
    private SqliteTestDatabase Database { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Database.DisposeAsync();
    }

    [Fact]
    public async Task A_file_of_the_single_file_outbox_is_adopted_and_its_pending_write_back_is_claimed()
    {
        await using (var connection = new SqliteConnection($"Data Source={Database.FilePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE outbox_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, help_desk TEXT NOT NULL, instance TEXT NOT NULL,
                    ticket_id TEXT NULL, delivery_id TEXT NULL, method TEXT NOT NULL, path TEXT NOT NULL, headers TEXT NOT NULL, body TEXT NULL,
                    description TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
                    last_error TEXT NULL, last_status INTEGER NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, delivered_at INTEGER NULL);
                CREATE TABLE processed_deliveries (help_desk TEXT NOT NULL, instance TEXT NOT NULL, delivery_id TEXT NOT NULL, ticket_id TEXT NULL,
                    received_at INTEGER NOT NULL, PRIMARY KEY (help_desk, instance, delivery_id));
                CREATE TABLE sync_responses (help_desk TEXT NOT NULL, instance TEXT NOT NULL, delivery_id TEXT NOT NULL, body TEXT NOT NULL,
                    created_at INTEGER NOT NULL, PRIMARY KEY (help_desk, instance, delivery_id));
                CREATE TABLE poll_cursors (help_desk TEXT NOT NULL, instance TEXT NOT NULL, cursor INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (help_desk, instance));
                CREATE TABLE ticket_values (help_desk TEXT NOT NULL, instance TEXT NOT NULL, ticket_id TEXT NOT NULL, head TEXT NOT NULL,
                    value TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (help_desk, instance, ticket_id, head));
                INSERT INTO processed_deliveries VALUES ('zammad', 'main', 'd-1', '7', 1);
                INSERT INTO outbox_messages (target, help_desk, instance, ticket_id, delivery_id, method, path, headers, body, description, status,
                    attempts, next_attempt_at, created_at, updated_at)
                VALUES ('helpdesk:zammad:main', 'zammad', 'main', '7', 'd-1', 'PUT', '/api/v1/tickets/7', '{}', '{}', 'set group', 'pending', 2, 1, 1, 1);
                INSERT INTO poll_cursors VALUES ('zammad', 'main', 41, 1);
                PRAGMA user_version = 3;
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var database = Database.Open();
        var outbox = new OutboxStore(database);

        var claimed = Assert.Single(await outbox.ClaimDueAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(("set group", 2), (claimed.Description, claimed.Attempts));
        Assert.Equal(41, await new PollCursors(database).GetAsync("zammad", "main", CancellationToken.None));
        Assert.Null(await outbox.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-1", "7"), [], CancellationToken.None));
        Assert.Equal(Enumerable.Range(1, IntegrationDatabase.SchemaVersion), await database.GetAppliedMigrationsAsync(CancellationToken.None));
    }
}
