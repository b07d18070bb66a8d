using System.Text.Json;
using Dapper;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// The durable outbox. A write-back is stored in the same transaction that records its delivery, so a crash never leaves a
/// delivery marked processed without its write-backs, and a repeated delivery (on any replica) enqueues nothing. Senders
/// claim due messages for a lease (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL); a replica that dies holding claims has them
/// taken over when the lease ends. Each instance of the store is one claimant (<see cref="Owner"/>).
/// </summary>
public sealed class OutboxStore(IntegrationDatabase database)
{
    /// <summary>
    /// A message waits while an earlier message of the same ticket (or, without a ticket, the same delivery) to the same target
    /// is still pending, so one ticket's write-backs are applied in the order they were planned, even when retries interleave.
    /// </summary>
    private const string Ready = """
        m.status = 'pending' AND NOT EXISTS (
            SELECT 1 FROM outbox_messages AS earlier
            WHERE earlier.status = 'pending' AND earlier.id < m.id AND earlier.target = m.target
              AND earlier.help_desk = m.help_desk AND earlier.instance = m.instance
              AND (earlier.ticket_id = m.ticket_id
                   OR (earlier.ticket_id IS NULL AND m.ticket_id IS NULL AND earlier.delivery_id IS NOT DISTINCT FROM m.delivery_id)))
        """;

    private const string Columns =
        "id AS Id, target AS Target, help_desk AS HelpDesk, instance AS Instance, ticket_id AS TicketId, delivery_id AS DeliveryId, method AS Method, "
        + "path AS Path, headers AS Headers, body AS Body, description AS Description, status AS Status, attempts AS Attempts, "
        + "next_attempt_at AS NextAttemptAt, last_error AS LastError, last_status AS LastStatus, created_at AS CreatedAt, "
        + "updated_at AS UpdatedAt, delivered_at AS DeliveredAt, claimed_until AS ClaimedUntil, check_path AS CheckPath, check_marker AS CheckMarker, "
        + "may_have_reached AS MayHaveReached";

    /// <summary>Who this store claims messages as: unique per process and store, so replicas (and test hosts) never share claims.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Where the outbox lives (a file path, or the PostgreSQL host and database), for logs.</summary>
    public string DatabasePath => database.Description;

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => IntegrationDatabase.SchemaVersion;

    /// <summary>False only for a SQLite file not created yet.</summary>
    public bool Exists => database.Exists;

    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>Records the delivery and stores its write-backs atomically; null (nothing stored) when the delivery was already processed.</summary>
    public async Task<IReadOnlyList<long>?> EnqueueAsync(DeliveryRecord delivery, IReadOnlyList<NewOutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = database.Now();
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO processed_deliveries (help_desk, instance, delivery_id, ticket_id, received_at) VALUES (@HelpDesk, @Instance, @DeliveryId, @TicketId, @now)
            ON CONFLICT (help_desk, instance, delivery_id) DO NOTHING;
            """,
            new { delivery.HelpDesk, delivery.Instance, delivery.DeliveryId, delivery.TicketId, now },
            transaction,
            cancellationToken: cancellationToken));
        if (recorded == 0)
        {
            return null;
        }

        var ids = new List<long>(messages.Count);
        foreach (var message in messages)
        {
            ids.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO outbox_messages (target, help_desk, instance, ticket_id, delivery_id, method, path, headers, body, description, status, attempts, next_attempt_at, created_at, updated_at, check_path, check_marker)
                VALUES (@Target, @HelpDesk, @Instance, @TicketId, @DeliveryId, @Method, @Path, @headers, @Body, @Description, 'pending', 0, @now, @now, @now, @checkPath, @checkMarker)
                RETURNING id;
                """,
                new
                {
                    message.Target,
                    delivery.HelpDesk,
                    delivery.Instance,
                    delivery.TicketId,
                    delivery.DeliveryId,
                    message.Method,
                    message.Path,
                    headers = JsonSerializer.Serialize(message.Headers),
                    message.Body,
                    message.Description,
                    now,
                    checkPath = message.Check?.Path,
                    checkMarker = message.Check?.Marker,
                },
                transaction,
                cancellationToken: cancellationToken)));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due write-backs for <paramref name="lease"/>: pending, due, whose ticket's earlier
    /// write-backs are done, and not claimed by anyone else (or whose claim ran out). Oldest first. A claim that ran out
    /// without being finished or handed back belonged to a sender that died, perhaps mid-call: such a message is marked
    /// <see cref="OutboxMessage.MayHaveReached"/>.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = database.Now();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT m.id FROM outbox_messages AS m
            WHERE {Ready} AND m.next_attempt_at <= @now AND (m.claimed_until IS NULL OR m.claimed_until <= @now)
            ORDER BY m.next_attempt_at, m.id LIMIT @limit {database.Database.SkipLocked};
            """,
            new { now, limit },
            transaction,
            cancellationToken: cancellationToken));

        // The rows are locked now; the claim is checked again on their latest version, in case another sender took one meanwhile.
        var claimed = new List<OutboxMessage>();
        foreach (var id in ids)
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"""
                UPDATE outbox_messages SET claimed_by = @owner, claimed_until = @until,
                    may_have_reached = CASE WHEN claimed_by IS NULL THEN may_have_reached ELSE 1 END
                WHERE id = @id AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= @now)
                RETURNING {Columns};
                """,
                new { id, owner = Owner, until = now + (long)lease.TotalMilliseconds, now },
                transaction,
                cancellationToken: cancellationToken));
            if (row is not null)
            {
                claimed.Add(row.ToMessage());
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>Hands back this store's claims on messages still pending (a sender that stops early), so anyone may send them now.</summary>
    public async Task ReleaseClaimsAsync(IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in ids)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox_messages SET claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by = @owner AND status = 'pending';",
                new { id, owner = Owner },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>When the next sendable write-back is due (or its claim by another sender runs out), or null when none is pending.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"""
            SELECT MIN(CASE WHEN m.claimed_until IS NOT NULL AND m.claimed_until > m.next_attempt_at THEN m.claimed_until ELSE m.next_attempt_at END)
            FROM outbox_messages AS m WHERE {Ready};
            """,
            cancellationToken: cancellationToken));
        return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>The outcome of an attempt; false when this store no longer holds the claim (it ran out and another sender took it).</summary>
    public Task<bool> MarkDeliveredAsync(long id, int attempts, int statusCode, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(
            "status = 'delivered', attempts = @attempts, last_status = @code, last_error = NULL, delivered_at = @now",
            new { id, owner = Owner, attempts, code = statusCode, now = database.Now() },
            cancellationToken);

    public Task<bool> MarkRetryAsync(long id, int attempts, DateTimeOffset nextAttemptAt, int? statusCode, string error, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(
            "attempts = @attempts, last_status = @code, last_error = @error, next_attempt_at = @next, may_have_reached = 1",
            new { id, owner = Owner, attempts, code = statusCode, error, next = nextAttemptAt.ToUnixTimeMilliseconds(), now = database.Now() },
            cancellationToken);

    public Task<bool> MarkFailedAsync(long id, int attempts, int? statusCode, string error, CancellationToken cancellationToken) =>
        UpdateClaimedAsync(
            "status = 'failed', attempts = @attempts, last_status = @code, last_error = @error, may_have_reached = 1",
            new { id, owner = Owner, attempts, code = statusCode, error, now = database.Now() },
            cancellationToken);

    /// <summary>Puts a failed write-back back in line with a fresh set of attempts; false when no failed message has that id.</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now, claimed_by = NULL, claimed_until = NULL WHERE id = @id AND status = 'failed';",
            new { id, now = database.Now() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Write-backs, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            status is null
                ? $"SELECT {Columns} FROM outbox_messages ORDER BY id DESC LIMIT @limit;"
                : $"SELECT {Columns} FROM outbox_messages WHERE status = @status ORDER BY id DESC LIMIT @limit;",
            new { limit, status = status is null ? null : StatusText(status.Value) },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public async Task<OutboxCounts> CountAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return new OutboxCounts(0, 0, 0);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM outbox_messages GROUP BY status;", cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal);
        return new OutboxCounts(counts.GetValueOrDefault("pending"), counts.GetValueOrDefault("delivered"), counts.GetValueOrDefault("failed"));
    }

    private async Task<bool> UpdateClaimedAsync(string set, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE outbox_messages SET {set}, updated_at = @now, claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by = @owner;",
            parameters,
            cancellationToken: cancellationToken)) == 1;
    }

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

    private sealed class Row
    {
        public long Id { get; init; }

        public string Target { get; init; } = "";

        public string HelpDesk { get; init; } = "";

        public string Instance { get; init; } = "";

        public string? TicketId { get; init; }

        public string? DeliveryId { get; init; }

        public string Method { get; init; } = "";

        public string Path { get; init; } = "";

        public string Headers { get; init; } = "{}";

        public string? Body { get; init; }

        public string Description { get; init; } = "";

        public string Status { get; init; } = "";

        public int Attempts { get; init; }

        public long NextAttemptAt { get; init; }

        public string? LastError { get; init; }

        public int? LastStatus { get; init; }

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public long? DeliveredAt { get; init; }

        public long? ClaimedUntil { get; init; }

        public string? CheckPath { get; init; }

        public string? CheckMarker { get; init; }

        public int MayHaveReached { get; init; }

        public OutboxMessage ToMessage() => new(
            Id,
            Target,
            HelpDesk,
            Instance,
            TicketId,
            DeliveryId,
            Method,
            Path,
            JsonSerializer.Deserialize<Dictionary<string, string>>(Headers) ?? [],
            Body,
            Description,
            ParseStatus(Status),
            Attempts,
            DateTimeOffset.FromUnixTimeMilliseconds(NextAttemptAt),
            LastError,
            LastStatus,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt),
            DeliveredAt is { } delivered ? DateTimeOffset.FromUnixTimeMilliseconds(delivered) : null,
            ClaimedUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
            CheckPath is not null && CheckMarker is not null ? new WriteBackCheck(CheckPath, CheckMarker) : null,
            MayHaveReached != 0);
    }
}
