using System.Data.Common;
using Dapper;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>
/// The integration state's schema (outbox, deliveries, stored replies, poll cursors, ticket values) as migrations both SQLite
/// and PostgreSQL run; times are Unix milliseconds (UTC). Append, never edit. Versions 1–3 are the ones the single-file outbox
/// counted in <c>PRAGMA user_version</c>; such a file is adopted at those versions and migrated on from there.
/// </summary>
internal static class IntegrationSchema
{
    public static readonly SqlSchema Schema = new("integrations", "integration_migrations", Migrations(), AdoptUserVersionAsync);

    private static string[] Migrations() =>
    [
        """
        CREATE TABLE outbox_messages (
            id {id},
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
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT NULL,
            last_status INTEGER NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            delivered_at BIGINT NULL);
        CREATE INDEX ix_outbox_messages_due ON outbox_messages (status, next_attempt_at);
        CREATE INDEX ix_outbox_messages_delivery ON outbox_messages (help_desk, instance, delivery_id, target, status);
        CREATE TABLE processed_deliveries (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            ticket_id TEXT NULL,
            received_at BIGINT NOT NULL,
            PRIMARY KEY (help_desk, instance, delivery_id));
        """,
        """
        CREATE TABLE sync_responses (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (help_desk, instance, delivery_id));
        CREATE TABLE poll_cursors (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            cursor BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (help_desk, instance));
        """,
        """
        CREATE TABLE ticket_values (
            help_desk TEXT NOT NULL,
            instance TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            head TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (help_desk, instance, ticket_id, head));
        """,
        """
        ALTER TABLE outbox_messages ADD COLUMN claimed_by TEXT NULL;
        ALTER TABLE outbox_messages ADD COLUMN claimed_until BIGINT NULL;
        CREATE INDEX ix_outbox_messages_ticket ON outbox_messages (target, ticket_id, status, id);
        """,
        """
        ALTER TABLE outbox_messages ADD COLUMN check_path TEXT NULL;
        ALTER TABLE outbox_messages ADD COLUMN check_marker TEXT NULL;
        ALTER TABLE outbox_messages ADD COLUMN may_have_reached INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>A SQLite outbox file from before the versions table carries its version in <c>PRAGMA user_version</c>.</summary>
    private static async Task<int> AdoptUserVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection
            ? (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", transaction: transaction, cancellationToken: cancellationToken))
            : 0;
}
