using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Feedback.Storage;

/// <summary>
/// <see cref="IFeedbackStore"/> over SQLite or PostgreSQL with the same SQL (Dapper). Every write runs in one transaction,
/// so a failure leaves the database as it was. The latest feedback per ticket and head is kept beside the full history
/// (<c>feedback_latest</c>), which makes the KPI queries index lookups.
/// </summary>
public sealed class SqlFeedbackStore : IFeedbackStore, IAsyncDisposable, IDisposable
{
    private const string PredictionColumns =
        "p.id AS Id, p.source AS Source, p.ticket_id AS TicketId, p.model AS Model, p.model_version AS ModelVersion, p.at AS At, "
        + "p.latency_ms AS LatencyMs, p.auto_applied AS AutoApplied, p.subject AS Subject, p.body AS Body";

    private readonly SqlDatabase _database;
    private readonly TimeProvider _time;

    internal SqlFeedbackStore(SqlDatabase database, string queueHead, TimeProvider time)
    {
        _database = database;
        QueueHead = queueHead;
        _time = time;
    }

    public FeedbackProvider Provider => (FeedbackProvider)_database.Provider;

    /// <summary>Where the data lives (a file path, or the PostgreSQL host and database), for logs.</summary>
    public string Description => _database.Description;

    /// <summary>The head whose corrections are misroutes.</summary>
    public string QueueHead { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => FeedbackSchema.Migrations.Count;

    public Task MigrateAsync(CancellationToken cancellationToken) => FeedbackSchema.Schema.MigrateAsync(_database, _time, cancellationToken);

    /// <summary>The schema versions applied to the database, in order.</summary>
    public Task<IReadOnlyList<int>> GetAppliedMigrationsAsync(CancellationToken cancellationToken) => FeedbackSchema.Schema.AppliedAsync(_database, cancellationToken);

    public Task RecordPredictionAsync(PredictionRecord prediction, CancellationToken cancellationToken) =>
        RecordPredictionsAsync([prediction], cancellationToken);

    public async Task RecordPredictionsAsync(IReadOnlyList<PredictionRecord> predictions, CancellationToken cancellationToken)
    {
        if (predictions.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var prediction in predictions)
        {
            var id = await connection.ExecuteScalarAsync<long>(Command(
                """
                INSERT INTO predictions (source, ticket_id, model, model_version, at, latency_ms, auto_applied, subject, body)
                VALUES (@source, @ticketId, @model, @modelVersion, @at, @latencyMs, @autoApplied, @subject, @body)
                RETURNING id;
                """,
                new
                {
                    source = prediction.Ticket?.Source,
                    ticketId = prediction.Ticket?.TicketId,
                    model = prediction.Model,
                    modelVersion = prediction.ModelVersion,
                    at = prediction.At.ToUnixTimeMilliseconds(),
                    latencyMs = prediction.LatencyMs,
                    autoApplied = prediction.AutoApplied ? 1 : 0,
                    subject = prediction.Subject,
                    body = prediction.Body,
                },
                transaction,
                cancellationToken));
            await connection.ExecuteAsync(Command(
                """
                INSERT INTO prediction_heads (prediction_id, head, ordinal, label, labels, confidence, needs_review)
                VALUES (@predictionId, @head, @ordinal, @label, @labels, @confidence, @needsReview);
                """,
                prediction.Heads.Select((head, ordinal) => new
                {
                    predictionId = id,
                    head = head.Head,
                    ordinal,
                    label = head.Labels.Count > 0 ? head.Labels[0] : null,
                    labels = JsonSerializer.Serialize(head.Labels),
                    confidence = head.Confidence,
                    needsReview = head.NeedsReview ? 1 : 0,
                }).ToList(),
                transaction,
                cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<FeedbackOutcome> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        var key = new { source = feedback.Ticket.Source, ticketId = feedback.Ticket.TicketId, head = feedback.Head };
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var predicted = await connection.QueryFirstOrDefaultAsync<PredictedHeadRow>(Command(
            """
            SELECT h.labels AS Labels FROM predictions p JOIN prediction_heads h ON h.prediction_id = p.id AND h.head = @head
            WHERE p.source = @source AND p.ticket_id = @ticketId
            ORDER BY p.at DESC, p.id DESC LIMIT 1;
            """,
            key,
            transaction,
            cancellationToken));
        var predictedLabels = predicted is null ? null : ParseLabels(predicted.Labels);
        var predictedLabel = predictedLabels is null ? null : string.Join(", ", predictedLabels);
        var isCorrection = predictedLabels is not null && !predictedLabels.Contains(feedback.CorrectLabel, StringComparer.Ordinal);

        var latest = await connection.QueryFirstOrDefaultAsync<string>(Command(
            "SELECT label FROM feedback_latest WHERE source = @source AND ticket_id = @ticketId AND head = @head;", key, transaction, cancellationToken));
        if (string.Equals(latest, feedback.CorrectLabel, StringComparison.Ordinal))
        {
            return new FeedbackOutcome(false, predictedLabel, isCorrection);
        }

        var row = new
        {
            key.source,
            key.ticketId,
            key.head,
            label = feedback.CorrectLabel,
            actor = feedback.Actor,
            at = feedback.At.ToUnixTimeMilliseconds(),
            origin = feedback.Origin.ToString(),
            predictedLabel,
            isCorrection = isCorrection ? 1 : 0,
        };
        var id = await connection.ExecuteScalarAsync<long>(Command(
            """
            INSERT INTO feedback (source, ticket_id, head, label, actor, at, origin, predicted_label, is_correction)
            VALUES (@source, @ticketId, @head, @label, @actor, @at, @origin, @predictedLabel, @isCorrection)
            RETURNING id;
            """,
            row,
            transaction,
            cancellationToken));
        await connection.ExecuteAsync(Command(
            """
            INSERT INTO feedback_latest (source, ticket_id, head, label, at, feedback_id) VALUES (@source, @ticketId, @head, @label, @at, @id)
            ON CONFLICT (source, ticket_id, head) DO UPDATE SET label = excluded.label, at = excluded.at, feedback_id = excluded.feedback_id
            WHERE excluded.at >= feedback_latest.at;
            """,
            new { row.source, row.ticketId, row.head, row.label, row.at, id },
            transaction,
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new FeedbackOutcome(true, predictedLabel, isCorrection);
    }

    public async Task RecordLifecycleEventAsync(TicketLifecycleEvent lifecycleEvent, CancellationToken cancellationToken)
    {
        // Created and the first reply keep the earliest time seen, resolution the latest (a reopened ticket resolves again).
        var (column, keepNew) = lifecycleEvent.Kind switch
        {
            TicketLifecycleKind.Created => ("created_at", "<"),
            TicketLifecycleKind.FirstAgentReply => ("first_reply_at", "<"),
            TicketLifecycleKind.Resolved => ("resolved_at", ">"),
            _ => throw new ArgumentOutOfRangeException(nameof(lifecycleEvent), lifecycleEvent.Kind, "Unknown lifecycle event kind."),
        };
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(Command(
            $"""
            INSERT INTO ticket_lifecycle (source, ticket_id, {column}) VALUES (@source, @ticketId, @at)
            ON CONFLICT (source, ticket_id) DO UPDATE SET {column} = CASE
                WHEN ticket_lifecycle.{column} IS NULL OR excluded.{column} {keepNew} ticket_lifecycle.{column} THEN excluded.{column}
                ELSE ticket_lifecycle.{column} END;
            """,
            new { source = lifecycleEvent.Ticket.Source, ticketId = lifecycleEvent.Ticket.TicketId, at = lifecycleEvent.At.ToUnixTimeMilliseconds() },
            transaction,
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<PredictionRecord?> GetLatestPredictionAsync(TicketKey ticket, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<PredictionRow>(Command(
            $"SELECT {PredictionColumns} FROM predictions p WHERE p.source = @source AND p.ticket_id = @ticketId ORDER BY p.at DESC, p.id DESC LIMIT 1;",
            new { source = ticket.Source, ticketId = ticket.TicketId },
            null,
            cancellationToken));
        if (row is null)
        {
            return null;
        }

        var heads = await connection.QueryAsync<HeadRow>(Command(
            "SELECT head AS Head, labels AS Labels, confidence AS Confidence, needs_review AS NeedsReview FROM prediction_heads WHERE prediction_id = @id ORDER BY ordinal;",
            new { id = row.Id },
            null,
            cancellationToken));
        return new PredictionRecord(
            ticket,
            row.Model,
            row.ModelVersion,
            FromMilliseconds(row.At),
            row.LatencyMs,
            heads.Select(h => new PredictedHead(h.Head, ParseLabels(h.Labels), h.Confidence, h.NeedsReview != 0)).ToList(),
            row.AutoApplied != 0,
            row.Subject,
            row.Body);
    }

    public async Task<IReadOnlyList<LabelledTicket>> GetLabelledTicketsAsync(LabelledTicketQuery query, CancellationToken cancellationToken)
    {
        var tickets = new StringBuilder(
            """
            WITH labelled AS (
                SELECT f.source, f.ticket_id, MAX(f.at) AS at FROM feedback_latest f
                WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.source = f.source AND p.ticket_id = f.ticket_id AND (p.subject IS NOT NULL OR p.body IS NOT NULL))
            """);
        if (query.ResolvedOnly)
        {
            tickets.Append(" AND EXISTS (SELECT 1 FROM ticket_lifecycle t WHERE t.source = f.source AND t.ticket_id = f.ticket_id AND t.resolved_at IS NOT NULL)");
        }

        tickets.Append(" GROUP BY f.source, f.ticket_id");
        if (query.Since is not null)
        {
            tickets.Append(" HAVING MAX(f.at) >= @since");
        }

        tickets.Append(" ORDER BY MAX(f.at) DESC, f.source, f.ticket_id");
        if (query.Limit is not null)
        {
            tickets.Append(" LIMIT @limit");
        }

        tickets.Append(')');
        var parameters = new { since = query.Since?.ToUnixTimeMilliseconds(), limit = (long?)query.Limit };
        await using var connection = await _database.OpenAsync(cancellationToken);
        var texts = (await connection.QueryAsync<LabelledTextRow>(Command(
            tickets +
            """
            SELECT l.source AS Source, l.ticket_id AS TicketId, l.at AS At, p.subject AS Subject, p.body AS Body, t.resolved_at AS ResolvedAt
            FROM labelled l JOIN predictions p ON p.id = (
                SELECT q.id FROM predictions q WHERE q.source = l.source AND q.ticket_id = l.ticket_id AND (q.subject IS NOT NULL OR q.body IS NOT NULL)
                ORDER BY q.at DESC, q.id DESC LIMIT 1)
            LEFT JOIN ticket_lifecycle t ON t.source = l.source AND t.ticket_id = l.ticket_id
            ORDER BY l.at DESC, l.source, l.ticket_id;
            """,
            parameters,
            null,
            cancellationToken))).ToList();
        var labels = (await connection.QueryAsync<LabelRow>(Command(
            tickets + " SELECT f.source AS Source, f.ticket_id AS TicketId, f.head AS Head, f.label AS Label FROM labelled l JOIN feedback_latest f ON f.source = l.source AND f.ticket_id = l.ticket_id;",
            parameters,
            null,
            cancellationToken)))
            .GroupBy(l => (l.Source, l.TicketId))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(l => l.Head, l => l.Label, StringComparer.Ordinal));
        return texts
            .Select(t => new LabelledTicket(new TicketKey(t.Source, t.TicketId), t.Subject ?? string.Empty, t.Body, labels[(t.Source, t.TicketId)], FromMilliseconds(t.At))
            {
                ResolvedAt = t.ResolvedAt is { } resolved ? FromMilliseconds(resolved) : null,
            })
            .ToList();
    }

    public async Task<KpiReport> GetKpisAsync(KpiQuery query, CancellationToken cancellationToken)
    {
        if (query.To <= query.From)
        {
            throw new ArgumentException("The window must end after it starts.", nameof(query));
        }

        if (query.Bucket < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException("Buckets must be at least 1 ms wide.", nameof(query));
        }

        var window = "p.at >= @from AND p.at < @to" + (query.Model is null ? string.Empty : " AND p.model = @model");
        var parameters = new
        {
            from = query.From.ToUnixTimeMilliseconds(),
            to = query.To.ToUnixTimeMilliseconds(),
            bucket = (long)query.Bucket.TotalMilliseconds,
            model = query.Model,
            queueHead = QueueHead,
        };
        await using var connection = await _database.OpenAsync(cancellationToken);
        // One snapshot for every query, so the figures agree with each other while predictions keep arriving.
        await using var transaction = await _database.BeginReadAsync(connection, cancellationToken);

        async Task<List<T>> Query<T>(string sql) =>
            (await connection.QueryAsync<T>(Command(sql, parameters, transaction, cancellationToken))).ToList();

        var data = new KpiData(
            await Query<KpiVolumeRow>(
                $"""
                SELECT p.model AS Model, p.model_version AS ModelVersion, (p.at - @from) / @bucket AS Bucket,
                       COUNT(*) AS Predictions, SUM(p.auto_applied) AS AutoApplied
                FROM predictions p WHERE {window}
                GROUP BY p.model, p.model_version, (p.at - @from) / @bucket;
                """),
            await Query<KpiRoutedRow>(
                $"""
                SELECT p.model AS Model, p.model_version AS ModelVersion, (p.at - @from) / @bucket AS Bucket, h.label AS Queue, COUNT(*) AS Routed
                FROM predictions p JOIN prediction_heads h ON h.prediction_id = p.id AND h.head = @queueHead
                WHERE {window}
                GROUP BY p.model, p.model_version, (p.at - @from) / @bucket, h.label;
                """),
            await Query<KpiJudgedRow>(
                $"""
                SELECT p.id AS PredictionId, p.model AS Model, p.model_version AS ModelVersion, (p.at - @from) / @bucket AS Bucket,
                       h.head AS Head, h.label AS Label, h.labels AS Labels, f.label AS Correct
                FROM predictions p
                JOIN feedback_latest f ON f.source = p.source AND f.ticket_id = p.ticket_id
                JOIN prediction_heads h ON h.prediction_id = p.id AND h.head = f.head
                WHERE {window};
                """),
            await Query<KpiTicketRow>(
                $"""
                SELECT p.source AS Source, p.ticket_id AS TicketId, p.model AS Model, p.model_version AS ModelVersion,
                       MIN(p.at) AS FirstInWindow, e.created_at AS CreatedAt, e.first_reply_at AS FirstReplyAt, e.resolved_at AS ResolvedAt,
                       (SELECT MIN(q.at) FROM predictions q WHERE q.source = p.source AND q.ticket_id = p.ticket_id) AS FirstPrediction
                FROM predictions p JOIN ticket_lifecycle e ON e.source = p.source AND e.ticket_id = p.ticket_id
                WHERE {window} AND (e.first_reply_at IS NOT NULL OR e.resolved_at IS NOT NULL)
                GROUP BY p.source, p.ticket_id, p.model, p.model_version, e.created_at, e.first_reply_at, e.resolved_at;
                """));
        await transaction.CommitAsync(cancellationToken);
        return KpiCalculator.Build(query, QueueHead, data);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    public void Dispose() => _database.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    private static string[] ParseLabels(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
