using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace OpenTicketAI.Feedback;

[JsonConverter(typeof(JsonStringEnumConverter<FeedbackProvider>))]
public enum FeedbackProvider
{
    /// <summary>One embedded database file; enough for one replica.</summary>
    Sqlite = OpenTicketAI.Storage.DatabaseProvider.Sqlite,

    /// <summary>A PostgreSQL server shared by several replicas.</summary>
    PostgreSql = OpenTicketAI.Storage.DatabaseProvider.PostgreSql,
}

/// <summary>Where predictions and feedback are stored and how (configuration section <c>Feedback</c>).</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Feedback";

    /// <summary>The SQLite file used when <see cref="ConnectionString"/> is empty, relative to the content root.</summary>
    public const string DefaultSqliteFile = "data/feedback.db";

    public FeedbackProvider Provider { get; set; } = FeedbackProvider.Sqlite;

    /// <summary>
    /// SQLite: a connection string (<c>Data Source=data/feedback.db</c>; a relative file starts at the content root), empty for
    /// <see cref="DefaultSqliteFile"/>. PostgreSQL: an Npgsql connection string, required; set it from the environment.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Keep the subject and body of predicted tickets (needed to retrain from feedback). Off by default: only labels are kept.</summary>
    public bool StoreTicketText { get; set; }

    /// <summary>The head whose labels are queues: its corrections are misroutes.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Feedback:QueueHead is required: the name of the head that predicts the queue.")]
    public string QueueHead { get; set; } = "queue";

    /// <summary>Record every prediction served by the API.</summary>
    public bool RecordPredictions { get; set; } = true;

    /// <summary>Predictions waiting to be written; when the queue is full further predictions are not recorded (counted and logged).</summary>
    [Range(1, 10_000_000, ErrorMessage = "Feedback:QueueCapacity must be between 1 and 10000000.")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>At most this many predictions are written in one transaction.</summary>
    [Range(1, 100_000, ErrorMessage = "Feedback:WriteBatchSize must be between 1 and 100000.")]
    public int WriteBatchSize { get; set; } = 500;

    /// <summary>
    /// After the first queued prediction, the writer waits this long for more before it commits, so a quiet service writes
    /// one transaction (one fsync) per interval rather than one per request. 0 writes at once.
    /// </summary>
    [Range(0, 5_000, ErrorMessage = "Feedback:WriteDelayMilliseconds must be between 0 and 5000.")]
    public int WriteDelayMilliseconds { get; set; } = 50;
}
