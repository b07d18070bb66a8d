using System.ComponentModel.DataAnnotations;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>Knowledge collections for /similar, /suggest, /kb/* and /summarize (configuration section <c>Knowledge</c>).</summary>
public sealed class KnowledgeOptions : IValidatableObject
{
    public const string SectionName = "Knowledge";

    /// <summary>Directory holding one subdirectory per collection (what <c>otai index --root</c> writes). Relative paths start at the content root.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Knowledge:Path is required.")]
    public string Path { get; set; } = "data/knowledge";

    /// <summary>
    /// Where the collections are held besides <see cref="Path"/>: empty (the default) for nowhere — <see cref="Path"/> is the
    /// collection, shared by replicas only on a shared volume; <c>PostgreSql</c> to hold them in a database every replica
    /// writes and reads, each keeping its own copy in <see cref="Path"/> (no shared volume needed); <c>Sqlite</c> for a file.
    /// </summary>
    public DatabaseProvider? Provider { get; set; }

    /// <summary>PostgreSQL: an Npgsql connection string, required; set it from the environment. SQLite: empty for <c>knowledge.db</c> in <see cref="Path"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>minilm-int8</c> (packaged, int8-quantised at load: the default, about 2.5x faster than float), <c>minilm</c> (packaged, float), an encoder directory, or <c>none</c> for BM25 only.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Knowledge:Encoder is required ('minilm', 'minilm-int8', an encoder directory or 'none').")]
    public string Encoder { get; set; } = "minilm-int8";

    /// <summary>Tokens per text the encoder reads; shorter is faster.</summary>
    [Range(16, 512, ErrorMessage = "Knowledge:MaxTokens must be between 16 and 512.")]
    public int MaxTokens { get; set; } = 128;

    [RegularExpression(ModelName.Pattern, ErrorMessage = "Knowledge:TicketsCollection must be a collection name (letters, digits, '.', '_', '-').")]
    public string TicketsCollection { get; set; } = "tickets";

    [RegularExpression(ModelName.Pattern, ErrorMessage = "Knowledge:ArticlesCollection must be a collection name (letters, digits, '.', '_', '-').")]
    public string ArticlesCollection { get; set; } = "articles";

    /// <summary>Confidence below which /suggest abstains (no draft, <c>needsReview</c>).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Knowledge:SuggestThreshold must be between 0 and 1.")]
    public double SuggestThreshold { get; set; } = 0.6;

    /// <summary>Best-article confidence below which a recent ticket counts as unanswered for /kb/gaps.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Knowledge:GapThreshold must be between 0 and 1.")]
    public double GapThreshold { get; set; } = 0.55;

    [Range(1, 100_000, ErrorMessage = "Knowledge:MaxDocumentsPerRequest must be between 1 and 100000.")]
    public int MaxDocumentsPerRequest { get; set; } = 1000;

    [Range(1, 200, ErrorMessage = "Knowledge:MaxTopK must be between 1 and 200.")]
    public int MaxTopK { get; set; } = 50;

    /// <summary>
    /// How often open collections are checked for what another process wrote (<c>otai index</c> from cron, a replica on a
    /// shared volume); a changed collection is read again in the background. 0 turns the check off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Knowledge:RescanInterval must be between 00:00:00 and 01:00:00.")]
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the tickets the help desks reported resolved, with their stored text and the labels agents confirmed or
    /// corrected, are indexed into <see cref="TicketsCollection"/> (new or changed ones only; the first pass at start-up).
    /// What <c>otai index --from-feedback</c> does, without cron. 0 (the default) turns it off; with several replicas turn it
    /// on in one (e.g. the trainer).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Knowledge:IndexResolvedTicketsInterval must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan IndexResolvedTicketsInterval { get; set; } = TimeSpan.Zero;

    /// <summary>How long an upsert or delete waits while another process commits to the collection before answering 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Knowledge:WriteLockTimeout must be between 00:00:00 and 00:05:00.")]
    public TimeSpan WriteLockTimeout { get; set; } = KnowledgeIndex.DefaultWriteLockTimeout;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Knowledge:ConnectionString is required when Knowledge:Provider is PostgreSql.", [nameof(ConnectionString)]);
        }
    }
}
