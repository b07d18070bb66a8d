namespace OpenTicketAI.Knowledge.Collections;

/// <summary>How a query is scored: BM25 only, encoder cosine only, or both fused (<see cref="Retrieval.FusionSettings"/>).</summary>
public enum RetrievalMode
{
    Fused,
    Lexical,
    Dense,
}

/// <summary>A ticket to find neighbours for, with optional filters (all given filters must hold).</summary>
public sealed record KnowledgeQuery
{
    public string? Subject { get; init; }

    public string? Body { get; init; }

    public int TopK { get; init; } = 5;

    public string? Queue { get; init; }

    public string? Language { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public RetrievalMode Mode { get; init; } = RetrievalMode.Fused;

    /// <summary>Keep near-duplicates of a better hit instead of collapsing them into it.</summary>
    public bool KeepDuplicates { get; init; }

    /// <summary>A document never to return (leave-one-out tuning asks with an indexed document's own text).</summary>
    public string? ExcludeId { get; init; }

    /// <summary>The query's embedding when the caller has it already (e.g. a stored ticket's); skips encoding.</summary>
    public IReadOnlyList<float>? Embedding { get; init; }

    public string Text => string.Join('\n', new[] { Subject, Body }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>
/// One result: the document, the fused score used for ranking, its parts (BM25 normalised by the best BM25 score of the
/// query; encoder cosine, null when the document or query has no embedding) and how many near-duplicates it stands for.
/// </summary>
public sealed record KnowledgeHit(KnowledgeDocument Document, double Score, double Lexical, double? Cosine, int Duplicates);

/// <summary>The hits of a query and whether the encoder took part (false for a language it does not know).</summary>
public sealed record KnowledgeResult(IReadOnlyList<KnowledgeHit> Hits, RetrievalMode Mode);
