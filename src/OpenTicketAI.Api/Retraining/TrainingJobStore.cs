using System.IO.Compression;
using System.Text.Json;
using Dapper;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Storage;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Retraining;

/// <summary>A job a replica claimed: what to train, and which start this is (above 1 when it took over from a replica that died).</summary>
/// <param name="PreviousOwner">The replica that held the job before, when this start is a take-over.</param>
public sealed record ClaimedTrainingJob(string Id, TrainingJobRequest Request, int Attempt, string? PreviousOwner);

/// <summary>How a job ended, as the replica that ran it saves it.</summary>
public sealed record TrainingJobOutcome(TrainingJobState State, TrainingJobProgress? Progress, double? EtaSeconds, string? Version, bool Promoted, ShadowEvaluation? Shadow, string? Error);

public enum TrainingJobLease
{
    /// <summary>Renewed: keep going.</summary>
    Held,

    /// <summary>Renewed, and someone asked to cancel the job.</summary>
    CancelRequested,

    /// <summary>This replica no longer holds the job (its lease ran out and another replica took it over): stop without saving.</summary>
    Lost,
}

public enum TrainingJobCancel
{
    NotFound,

    /// <summary>The job had already finished.</summary>
    Finished,

    /// <summary>A queued job: cancelled at once.</summary>
    Cancelled,

    /// <summary>A running job: its replica stops it on its next heartbeat.</summary>
    Requested,
}

/// <summary>
/// Training jobs in the shared database (SQLite or PostgreSQL), so any replica can list, read and cancel them and exactly one
/// runs each. A replica claims a queued job for a lease (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL) and renews it on every
/// heartbeat; a job whose lease ran out (its replica died) is started again by the next claimant, up to a number of attempts,
/// then marked failed as interrupted.
/// </summary>
public sealed class TrainingJobStore(SqlDatabase database, TimeProvider time) : IAsyncDisposable
{
    private const string Columns =
        "id AS Id, model AS Model, state AS State, row_count AS RowCount, from_feedback AS FromFeedback, owner AS Owner, attempts AS Attempts, "
        + "created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt, progress AS Progress, result AS Result, error AS Error";

    private const string Claimable = "state = 'queued' OR (state = 'running' AND lease_until <= @now)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DatabaseProvider Provider => database.Provider;

    /// <summary>Where the jobs live, for logs; never contains a password.</summary>
    public string Description => database.Description;

    public Task MigrateAsync(CancellationToken cancellationToken) => TrainingJobSchema.Schema.MigrateAsync(database, time, cancellationToken);

    public Task<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken) => TrainingJobSchema.Schema.AppliedAsync(database, cancellationToken);

    /// <summary>Queues a job unless one is queued or running (on any replica); then <c>Busy</c> is that job.</summary>
    public async Task<(TrainingJobStatus? Job, TrainingJobStatus? Busy)> EnqueueAsync(TrainingJobRequest request, CancellationToken cancellationToken)
    {
        var data = Pack(request.Data);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var id = Guid.NewGuid().ToString("N");
            await using var connection = await database.OpenAsync(cancellationToken);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO training_jobs (id, model, state, row_count, from_feedback, epochs, seed, data, attempts, cancel_requested, created_at)
                VALUES (@id, @Model, 'queued', @rows, @fromFeedback, @Epochs, @Seed, @data, 0, 0, @now)
                ON CONFLICT DO NOTHING;
                """,
                new { id, request.Model, rows = request.Data.Rows.Count, fromFeedback = request.FromFeedback ? 1 : 0, request.Epochs, request.Seed, data, now = Now() },
                cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                return (await FindAsync(id, cancellationToken), null);
            }

            // The active job may have finished since the insert; then the next one goes in.
            if (await QuerySingleAsync("state IN ('queued', 'running')", new { }, cancellationToken) is { } busy)
            {
                return (null, busy);
            }
        }

        throw new InvalidOperationException("Could not queue the training job: the active job kept changing.");
    }

    public Task<TrainingJobStatus?> FindAsync(string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("id = @id", new { id }, cancellationToken);

    /// <summary>The model's jobs, newest first.</summary>
    public async Task<IReadOnlyList<TrainingJobStatus>> ListAsync(string model, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM training_jobs WHERE model = @model ORDER BY created_at DESC, id DESC LIMIT @limit;",
            new { model, limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStatus()).ToList();
    }

    /// <summary>
    /// Claims the oldest queued job, or a running one whose lease ran out, for <paramref name="owner"/>; null when there is
    /// none. An expired job that already had <paramref name="maxAttempts"/> starts is marked failed (interrupted) instead, and
    /// one that was asked to cancel is marked cancelled.
    /// </summary>
    public async Task<ClaimedTrainingJob?> ClaimAsync(string owner, TimeSpan lease, int maxAttempts, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = Now();
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var candidate = await connection.QuerySingleOrDefaultAsync<Candidate>(new CommandDefinition(
                $"""
                SELECT id AS Id, state AS State, owner AS Owner, attempts AS Attempts, cancel_requested AS CancelRequested FROM training_jobs
                WHERE {Claimable} ORDER BY created_at, id LIMIT 1 {database.SkipLocked};
                """,
                new { now },
                transaction,
                cancellationToken: cancellationToken));
            if (candidate is null)
            {
                return null;
            }

            var orphaned = candidate.State == "running";
            if (orphaned && (candidate.CancelRequested != 0 || candidate.Attempts >= maxAttempts))
            {
                var outcome = candidate.CancelRequested != 0
                    ? new TrainingJobOutcome(TrainingJobState.Cancelled, null, null, null, false, null, "cancelled")
                    : new TrainingJobOutcome(TrainingJobState.Failed, null, null, null, false, null,
                        $"interrupted: the replica running it ({candidate.Owner}) stopped without finishing (it was started {candidate.Attempts} times, Training:MaxAttempts). Nothing was written; start it again with POST /models/{{name}}/train.");
                await FinishAsync(connection, transaction, candidate.Id, "state = 'running' AND lease_until <= @now", new { now }, outcome, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            var claimed = await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(
                $"""
                UPDATE training_jobs SET state = 'running', owner = @owner, lease_until = @until, attempts = attempts + 1, started_at = @now, progress = NULL
                WHERE id = @id AND ({Claimable})
                RETURNING id AS Id, model AS Model, from_feedback AS FromFeedback, epochs AS Epochs, seed AS Seed, data AS Data, attempts AS Attempts;
                """,
                new { id = candidate.Id, owner, until = now + (long)lease.TotalMilliseconds, now },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (claimed is not null)
            {
                var request = new TrainingJobRequest(claimed.Model, Unpack(claimed.Data), claimed.FromFeedback != 0, claimed.Epochs, claimed.Seed);
                return new ClaimedTrainingJob(claimed.Id, request, claimed.Attempts, orphaned ? candidate.Owner : null);
            }
        }
    }

    /// <summary>Renews <paramref name="owner"/>'s lease and saves the progress; says whether to go on, cancel, or stop because the job was taken over.</summary>
    public async Task<TrainingJobLease> HeartbeatAsync(string id, string owner, TimeSpan lease, TrainingJobProgress? progress, double? etaSeconds, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var connection = await database.OpenAsync(cancellationToken);
        var cancel = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            UPDATE training_jobs SET lease_until = @until, progress = @progress
            WHERE id = @id AND owner = @owner AND state = 'running'
            RETURNING cancel_requested;
            """,
            new { id, owner, until = now + (long)lease.TotalMilliseconds, progress = ProgressJson(progress, etaSeconds) },
            cancellationToken: cancellationToken));
        return cancel switch
        {
            null => TrainingJobLease.Lost,
            0 => TrainingJobLease.Held,
            _ => TrainingJobLease.CancelRequested,
        };
    }

    /// <summary>Saves how the job ended and drops its training data; false when <paramref name="owner"/> no longer holds it.</summary>
    public async Task<bool> FinishAsync(string id, string owner, TrainingJobOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var finished = await FinishAsync(connection, transaction, id, "owner = @owner AND state = 'running'", new { owner }, outcome, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return finished;
    }

    /// <summary>Puts a job this replica holds back in the queue (the host is stopping), so another replica, or this one after its restart, starts it again.</summary>
    public async Task<bool> ReleaseAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE training_jobs SET state = 'queued', owner = NULL, lease_until = NULL, attempts = attempts - 1, started_at = NULL, progress = NULL
            WHERE id = @id AND owner = @owner AND state = 'running';
            """,
            new { id, owner },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Cancels a queued job at once, or flags a running one for its replica to stop.</summary>
    public async Task<(TrainingJobCancel Outcome, TrainingJobStatus? Job)> RequestCancelAsync(string id, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var outcome = new TrainingJobOutcome(TrainingJobState.Cancelled, null, null, null, false, null, "cancelled");
            if (await FinishAsync(connection, transaction, id, "state = 'queued'", new { }, outcome, cancellationToken))
            {
                await transaction.CommitAsync(cancellationToken);
                return (TrainingJobCancel.Cancelled, await FindAsync(id, cancellationToken));
            }

            var flagged = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE training_jobs SET cancel_requested = 1 WHERE id = @id AND state = 'running';", new { id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (flagged == 1)
            {
                return (TrainingJobCancel.Requested, await FindAsync(id, cancellationToken));
            }
        }

        var job = await FindAsync(id, cancellationToken);
        return (job is null ? TrainingJobCancel.NotFound : TrainingJobCancel.Finished, job);
    }

    /// <summary>True while a replica runs the job and renews its lease.</summary>
    public async Task<bool> IsHeldAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM training_jobs WHERE id = @id AND state = 'running' AND lease_until > @now;", new { id, now = Now() }, cancellationToken: cancellationToken)) > 0;
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    private async Task<bool> FinishAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string id, string condition, object parameters, TrainingJobOutcome outcome, CancellationToken cancellationToken)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.AddDynamicParams(new
        {
            id,
            state = StateText(outcome.State),
            finishedAt = Now(),
            progress = ProgressJson(outcome.Progress, outcome.EtaSeconds),
            result = outcome.Version is null && outcome.Shadow is null ? null : JsonSerializer.Serialize(new StoredResult(outcome.Version, outcome.Promoted, outcome.Shadow), ModelJson.Options),
            outcome.Error,
        });
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE training_jobs SET state = @state, finished_at = @finishedAt, lease_until = NULL, data = NULL, progress = COALESCE(@progress, progress), result = @result, error = @Error
            WHERE id = @id AND {condition};
            """,
            arguments,
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task<TrainingJobStatus?> QuerySingleAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM training_jobs WHERE {where};", parameters, cancellationToken: cancellationToken));
        return row?.ToStatus();
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string StateText(TrainingJobState state) => state.ToString().ToLowerInvariant();

    private static string? ProgressJson(TrainingJobProgress? progress, double? etaSeconds) =>
        progress is null ? null : JsonSerializer.Serialize(new StoredProgress(progress, etaSeconds), Json);

    private static byte[] Pack(TrainingSet data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, data, Json);
        }

        return buffer.ToArray();
    }

    private static TrainingSet Unpack(byte[]? data)
    {
        if (data is null)
        {
            throw new InvalidOperationException("The job's training data is missing.");
        }

        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<TrainingSet>(gzip, Json) ?? throw new InvalidOperationException("The job's training data is empty.");
    }

    private sealed record StoredProgress(TrainingJobProgress Progress, double? EtaSeconds);

    private sealed record StoredResult(string? Version, bool Promoted, ShadowEvaluation? Shadow);

    private sealed class Candidate
    {
        public string Id { get; init; } = "";

        public string State { get; init; } = "";

        public string? Owner { get; init; }

        public int Attempts { get; init; }

        public int CancelRequested { get; init; }
    }

    private sealed class Claim
    {
        public string Id { get; init; } = "";

        public string Model { get; init; } = "";

        public int FromFeedback { get; init; }

        public int? Epochs { get; init; }

        public int? Seed { get; init; }

        public byte[]? Data { get; init; }

        public int Attempts { get; init; }
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";

        public string Model { get; init; } = "";

        public string State { get; init; } = "";

        public int RowCount { get; init; }

        public int FromFeedback { get; init; }

        public string? Owner { get; init; }

        public int Attempts { get; init; }

        public long CreatedAt { get; init; }

        public long? StartedAt { get; init; }

        public long? FinishedAt { get; init; }

        public string? Progress { get; init; }

        public string? Result { get; init; }

        public string? Error { get; init; }

        public TrainingJobStatus ToStatus()
        {
            var progress = Progress is null ? null : JsonSerializer.Deserialize<StoredProgress>(Progress, Json);
            var result = Result is null ? null : JsonSerializer.Deserialize<StoredResult>(Result, ModelJson.Options);
            return new TrainingJobStatus(
                Id,
                Model,
                Enum.Parse<TrainingJobState>(State, ignoreCase: true),
                RowCount,
                FromFeedback != 0,
                DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
                StartedAt is { } started ? DateTimeOffset.FromUnixTimeMilliseconds(started) : null,
                FinishedAt is { } finished ? DateTimeOffset.FromUnixTimeMilliseconds(finished) : null,
                progress?.Progress,
                progress?.EtaSeconds,
                result?.Version,
                result?.Promoted ?? false,
                result?.Shadow,
                Error,
                Owner,
                Attempts);
        }
    }
}
