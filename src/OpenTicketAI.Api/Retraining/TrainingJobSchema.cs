using OpenTicketAI.Storage;

namespace OpenTicketAI.Api.Retraining;

/// <summary>
/// The training jobs' table in the feedback database, with its own versions table. Times are Unix milliseconds (UTC);
/// <c>data</c> is the job's training set (gzipped JSON), kept until the job finishes. Append, never edit.
/// </summary>
internal static class TrainingJobSchema
{
    public static readonly SqlSchema Schema = new("training jobs", "training_job_migrations",
    [
        // The partial unique index is "one job queued or running at a time", held by the database across replicas.
        """
        CREATE TABLE training_jobs (
            id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            state TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            from_feedback INTEGER NOT NULL,
            epochs INTEGER NULL,
            seed INTEGER NULL,
            data {blob} NULL,
            owner TEXT NULL,
            lease_until BIGINT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            started_at BIGINT NULL,
            finished_at BIGINT NULL,
            progress TEXT NULL,
            result TEXT NULL,
            error TEXT NULL);
        CREATE INDEX ix_training_jobs_model ON training_jobs (model, created_at);
        CREATE INDEX ix_training_jobs_claim ON training_jobs (state, created_at);
        CREATE UNIQUE INDEX ux_training_jobs_active ON training_jobs ((state IN ('queued', 'running'))) WHERE state IN ('queued', 'running');
        """,
    ]);
}
