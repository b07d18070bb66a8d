using OpenTicketAI.Storage;

namespace OpenTicketAI.Feedback.Storage;

/// <summary>
/// The schema as versioned migrations in SQL both SQLite and PostgreSQL run; <c>{id}</c> stands for the dialect's
/// auto-incrementing key. Append, never edit: <c>schema_migrations</c> records which versions a database has.
/// Times are Unix milliseconds (UTC), flags 0/1.
/// </summary>
internal static class FeedbackSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE predictions (
            id {id},
            source TEXT NULL,
            ticket_id TEXT NULL,
            model TEXT NOT NULL,
            model_version TEXT NOT NULL,
            at BIGINT NOT NULL,
            latency_ms DOUBLE PRECISION NOT NULL,
            auto_applied INTEGER NOT NULL,
            subject TEXT NULL,
            body TEXT NULL);
        CREATE INDEX ix_predictions_at ON predictions (at);
        CREATE INDEX ix_predictions_model_at ON predictions (model, at);
        CREATE INDEX ix_predictions_ticket ON predictions (source, ticket_id, at);
        CREATE TABLE prediction_heads (
            prediction_id BIGINT NOT NULL REFERENCES predictions (id),
            head TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            label TEXT NULL,
            labels TEXT NOT NULL,
            confidence DOUBLE PRECISION NOT NULL,
            needs_review INTEGER NOT NULL,
            PRIMARY KEY (prediction_id, head));
        CREATE INDEX ix_prediction_heads_head ON prediction_heads (head, prediction_id);
        CREATE TABLE feedback (
            id {id},
            source TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            head TEXT NOT NULL,
            label TEXT NOT NULL,
            actor TEXT NULL,
            at BIGINT NOT NULL,
            origin TEXT NOT NULL,
            predicted_label TEXT NULL,
            is_correction INTEGER NOT NULL);
        CREATE INDEX ix_feedback_ticket ON feedback (source, ticket_id, head, at);
        CREATE TABLE feedback_latest (
            source TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            head TEXT NOT NULL,
            label TEXT NOT NULL,
            at BIGINT NOT NULL,
            feedback_id BIGINT NOT NULL REFERENCES feedback (id),
            PRIMARY KEY (source, ticket_id, head));
        CREATE INDEX ix_feedback_latest_at ON feedback_latest (at);
        CREATE TABLE ticket_lifecycle (
            source TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            created_at BIGINT NULL,
            first_reply_at BIGINT NULL,
            resolved_at BIGINT NULL,
            PRIMARY KEY (source, ticket_id));
        """,
    ];

    public static readonly SqlSchema Schema = new("feedback", "schema_migrations", Migrations);
}
