using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// The durable outbox: write-backs and processed deliveries in one SQLite file. A write-back is stored in the same
/// transaction that records its delivery, so a crash never leaves a delivery marked processed without its write-backs,
/// and a repeated delivery enqueues nothing. The schema is created and migrated by <see cref="MigrateAsync"/>.
/// </summary>
public sealed class OutboxStore(string databasePath, TimeProvider time) : IDisposable
{
    /// <summary>Each entry moves the schema one version up; append, never edit (PRAGMA user_version counts them).</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE outbox_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            target TEXT NOT NULL,
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            ticket_id TEXT NULL,
            delivery_id TEXT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            headers TEXT NOT NULL,
            body TEXT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT NULL,
            last_status INTEGER NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            delivered_at INTEGER NULL);
        CREATE INDEX ix_outbox_messages_due ON outbox_messages (status, next_attempt_at);
        CREATE INDEX ix_outbox_messages_delivery ON outbox_messages (help_desk, instance, delivery_id, target, status);
        CREATE TABLE processed_deliveries (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            ticket_id TEXT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (help_desk, instance, delivery_id));
        """,
        """
        CREATE TABLE sync_responses (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (help_desk, instance, delivery_id));
        CREATE TABLE poll_cursors (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            cursor INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (help_desk, instance));
        """,
        """
        CREATE TABLE ticket_values (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            head TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (help_desk, instance, ticket_id, head));
        """,
    ];

    /// <summary>
    /// A message waits while an earlier message of the same delivery to the same target is still pending, so one ticket's
    /// write-backs are applied in the order they were planned, even when retries interleave.
    /// </summary>
    private const string Ready = """
        status = 'pending' AND NOT EXISTS (
            SELECT 1 FROM outbox_messages AS earlier
            WHERE earlier.status = 'pending' AND earlier.id < outbox_messages.id AND earlier.target = outbox_messages.target
              AND earlier.help_desk = outbox_messages.help_desk AND earlier.instance = outbox_messages.instance
              AND earlier.delivery_id IS outbox_messages.delivery_id)
        """;

    private const string Columns =
        "id, target, help_desk, instance, ticket_id, delivery_id, method, path, headers, body, description, status, attempts, next_attempt_at, last_error, last_status, created_at, updated_at, delivered_at";

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;

    public string DatabasePath { get; } = databasePath;

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>True once the database file exists; listing an outbox that was never created needs no file.</summary>
    public bool Exists => File.Exists(DatabasePath);

    /// <summary>Creates the directory and database if needed and applies pending migrations. Idempotent.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!);
            await using var connection = await OpenRawAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, null, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
            if (version > Migrations.Length)
            {
                throw new InvalidOperationException($"{DatabasePath}: schema version {version} is newer than this build understands ({Migrations.Length}); run the newer version or restore a backup.");
            }

            for (var v = version; v < Migrations.Length; v++)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Migrations[v], cancellationToken);
                await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {(v + 1).ToString(CultureInfo.InvariantCulture)};", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            _migrated = true;
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    public async Task<bool> IsProcessedAsync(string helpDesk, string instance, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM processed_deliveries WHERE help_desk = $h AND instance = $i AND delivery_id = $d;";
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        command.Parameters.AddWithValue("$d", deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Stores the synchronous answer to a delivery (Znuny), so a repeated delivery gets the same answer; the first one stored wins.</summary>
    public async Task SaveSyncResponseAsync(string helpDesk, string instance, string deliveryId, string body, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO sync_responses (help_desk, instance, delivery_id, body, created_at) VALUES ($h, $i, $d, $b, $now);";
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        command.Parameters.AddWithValue("$d", deliveryId);
        command.Parameters.AddWithValue("$b", body);
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The synchronous answer stored for a delivery, or null.</summary>
    public async Task<string?> GetSyncResponseAsync(string helpDesk, string instance, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM sync_responses WHERE help_desk = $h AND instance = $i AND delivery_id = $d;";
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        command.Parameters.AddWithValue("$d", deliveryId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>A poller's cursor: every ticket id up to it was processed (or is recorded as processed). Null before the first complete pass.</summary>
    public async Task<long?> GetPollCursorAsync(string helpDesk, string instance, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT cursor FROM poll_cursors WHERE help_desk = $h AND instance = $i;";
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    /// <summary>Moves a poller's cursor forward (never back).</summary>
    public async Task SetPollCursorAsync(string helpDesk, string instance, long cursor, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO poll_cursors (help_desk, instance, cursor, updated_at) VALUES ($h, $i, $c, $now)
            ON CONFLICT (help_desk, instance) DO UPDATE SET cursor = MAX(cursor, excluded.cursor), updated_at = excluded.updated_at;
            """;
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        command.Parameters.AddWithValue("$c", cursor);
        command.Parameters.AddWithValue("$now", Now());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The help-desk value (group, mailbox, priority) each head of a ticket had when the service last saw or wrote it;
    /// a help-desk event whose value differs is a change someone else made.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetTicketValuesAsync(string helpDesk, string instance, string ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT head, value FROM ticket_values WHERE help_desk = $h AND instance = $i AND ticket_id = $t;";
        command.Parameters.AddWithValue("$h", helpDesk);
        command.Parameters.AddWithValue("$i", instance);
        command.Parameters.AddWithValue("$t", ticketId);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values[reader.GetString(0)] = reader.GetString(1);
        }

        return values;
    }

    /// <summary>Remembers the values of a ticket's heads (the last one written wins); heads with a null value are left as they are.</summary>
    public async Task SetTicketValuesAsync(string helpDesk, string instance, string ticketId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (head, value) in values.Where(v => v.Value is not null))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO ticket_values (help_desk, instance, ticket_id, head, value, updated_at) VALUES ($h, $i, $t, $head, $v, $now)
                ON CONFLICT (help_desk, instance, ticket_id, head) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
                """;
            command.Parameters.AddWithValue("$h", helpDesk);
            command.Parameters.AddWithValue("$i", instance);
            command.Parameters.AddWithValue("$t", ticketId);
            command.Parameters.AddWithValue("$head", head);
            command.Parameters.AddWithValue("$v", value);
            command.Parameters.AddWithValue("$now", Now());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Forgets a delivery that has no write-backs, so the help desk's retry is processed again (after a failed feedback write).</summary>
    public async Task ReleaseDeliveryAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM processed_deliveries WHERE help_desk = $h AND instance = $i AND delivery_id = $d
              AND NOT EXISTS (SELECT 1 FROM outbox_messages WHERE help_desk = $h AND instance = $i AND delivery_id = $d);
            """;
        command.Parameters.AddWithValue("$h", delivery.HelpDesk);
        command.Parameters.AddWithValue("$i", delivery.Instance);
        command.Parameters.AddWithValue("$d", delivery.DeliveryId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the delivery and stores its write-backs atomically; null (nothing stored) when the delivery was already processed.</summary>
    public async Task<IReadOnlyList<long>?> EnqueueAsync(DeliveryRecord delivery, IReadOnlyList<NewOutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = Now();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR IGNORE INTO processed_deliveries (help_desk, instance, delivery_id, ticket_id, received_at) VALUES ($h, $i, $d, $t, $now);";
            insert.Parameters.AddWithValue("$h", delivery.HelpDesk);
            insert.Parameters.AddWithValue("$i", delivery.Instance);
            insert.Parameters.AddWithValue("$d", delivery.DeliveryId);
            insert.Parameters.AddWithValue("$t", (object?)delivery.TicketId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$now", now);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        var ids = new List<long>(messages.Count);
        foreach (var message in messages)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO outbox_messages (target, help_desk, instance, ticket_id, delivery_id, method, path, headers, body, description, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES ($target, $h, $i, $t, $d, $method, $path, $headers, $body, $description, 'pending', 0, $now, $now, $now)
                RETURNING id;
                """;
            command.Parameters.AddWithValue("$target", message.Target);
            command.Parameters.AddWithValue("$h", delivery.HelpDesk);
            command.Parameters.AddWithValue("$i", delivery.Instance);
            command.Parameters.AddWithValue("$t", (object?)delivery.TicketId ?? DBNull.Value);
            command.Parameters.AddWithValue("$d", delivery.DeliveryId);
            command.Parameters.AddWithValue("$method", message.Method);
            command.Parameters.AddWithValue("$path", message.Path);
            command.Parameters.AddWithValue("$headers", JsonSerializer.Serialize(message.Headers));
            command.Parameters.AddWithValue("$body", (object?)message.Body ?? DBNull.Value);
            command.Parameters.AddWithValue("$description", message.Description);
            command.Parameters.AddWithValue("$now", now);
            ids.Add(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>Pending write-backs whose next attempt is due and whose delivery's earlier write-backs are done, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> GetDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox_messages WHERE {Ready} AND next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $limit;";
        command.Parameters.AddWithValue("$now", Now());
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>When the next sendable write-back is due, or null when none is pending.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var next = await ScalarAsync(connection, null, $"SELECT MIN(next_attempt_at) FROM outbox_messages WHERE {Ready};", cancellationToken);
        return next is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public Task MarkDeliveredAsync(long id, int attempts, int statusCode, CancellationToken cancellationToken) =>
        UpdateAsync(
            "UPDATE outbox_messages SET status = 'delivered', attempts = $attempts, last_status = $code, last_error = NULL, delivered_at = $now, updated_at = $now WHERE id = $id;",
            id,
            attempts,
            statusCode,
            null,
            null,
            cancellationToken);

    public Task MarkRetryAsync(long id, int attempts, DateTimeOffset nextAttemptAt, int? statusCode, string error, CancellationToken cancellationToken) =>
        UpdateAsync(
            "UPDATE outbox_messages SET attempts = $attempts, last_status = $code, last_error = $error, next_attempt_at = $next, updated_at = $now WHERE id = $id;",
            id,
            attempts,
            statusCode,
            error,
            nextAttemptAt,
            cancellationToken);

    public Task MarkFailedAsync(long id, int attempts, int? statusCode, string error, CancellationToken cancellationToken) =>
        UpdateAsync(
            "UPDATE outbox_messages SET status = 'failed', attempts = $attempts, last_status = $code, last_error = $error, updated_at = $now WHERE id = $id;",
            id,
            attempts,
            statusCode,
            error,
            null,
            cancellationToken);

    /// <summary>Puts a failed write-back back in line with a fresh set of attempts; false when no failed message has that id.</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = $now, updated_at = $now WHERE id = $id AND status = 'failed';";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", Now());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Write-backs, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = status is null
            ? $"SELECT {Columns} FROM outbox_messages ORDER BY id DESC LIMIT $limit;"
            : $"SELECT {Columns} FROM outbox_messages WHERE status = $status ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        if (status is not null)
        {
            command.Parameters.AddWithValue("$status", StatusText(status.Value));
        }

        return await ReadAsync(command, cancellationToken);
    }

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return new OutboxCounts(0, 0, 0);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM outbox_messages GROUP BY status;";
        long pending = 0, delivered = 0, failed = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "pending":
                    pending = count;
                    break;
                case "delivered":
                    delivered = count;
                    break;
                case "failed":
                    failed = count;
                    break;
            }
        }

        return new OutboxCounts(pending, delivered, failed);
    }

    private async Task UpdateAsync(string sql, long id, int attempts, int? statusCode, string? error, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$code", (object?)statusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Now());
        if (sql.Contains("$error", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        }

        if (next is not null)
        {
            command.Parameters.AddWithValue("$next", next.Value.ToUnixTimeMilliseconds());
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
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

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static async Task<IReadOnlyList<OutboxMessage>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new OutboxMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(8)) ?? [],
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetString(10),
                ParseStatus(reader.GetString(11)),
                reader.GetInt32(12),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetInt32(15),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(16)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(17)),
                reader.IsDBNull(18) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(18))));
        }

        return messages;
    }

    public void Dispose() => _migrateGate.Dispose();

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string StatusText(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "pending",
        OutboxStatus.Delivered => "delivered",
        _ => "failed",
    };

    private static OutboxStatus ParseStatus(string text) => text switch
    {
        "pending" => OutboxStatus.Pending,
        "delivered" => OutboxStatus.Delivered,
        _ => OutboxStatus.Failed,
    };
}
