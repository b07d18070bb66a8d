using OpenTicketAI.Knowledge.Answers;
using OpenTicketAI.Knowledge.Summaries;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>A ticket to find similar past tickets (or articles) for. Subject or body must hold text.</summary>
/// <param name="Subject">The ticket's subject.</param>
/// <param name="Body">The ticket's text.</param>
/// <param name="TopK">Hits to return (default 5).</param>
/// <param name="Queue">Only documents of this queue.</param>
/// <param name="Language">Only documents of this language (e.g. <c>en</c>); a language the encoder does not know is searched by BM25 alone.</param>
/// <param name="From">Only documents resolved/changed at or after this time.</param>
/// <param name="To">Only documents resolved/changed at or before this time.</param>
/// <param name="Mode"><c>fused</c> (default), <c>lexical</c> (BM25) or <c>dense</c> (encoder cosine).</param>
/// <param name="Collection">The collection to search (default: Knowledge:TicketsCollection, or Knowledge:ArticlesCollection for /kb/suggest).</param>
public sealed record SimilarRequest(
    string? Subject,
    string? Body,
    int? TopK = null,
    string? Queue = null,
    string? Language = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Mode = null,
    string? Collection = null);

/// <summary>One similar document: the fused score (and its BM25 and cosine parts), its fields, and how many near-duplicates it stands for.</summary>
public sealed record SimilarHit(
    string Id,
    double Score,
    double Lexical,
    double? Cosine,
    string? Title,
    string? Body,
    string? Answer,
    string? Queue,
    IReadOnlyList<string> Tags,
    string? Language,
    DateTimeOffset? Date,
    string? Reference,
    int Duplicates);

public sealed record SimilarResponse(string Collection, string Mode, IReadOnlyList<SimilarHit> Hits);

/// <summary>A ticket to draft a reply for, from the tickets and articles collections.</summary>
public sealed record SuggestRequest(string? Subject, string? Body, string? Language = null, string? Queue = null);

public sealed record SuggestResponse(string? Draft, double Confidence, bool NeedsReview, double Threshold, IReadOnlyList<SuggestionSource> Sources);

/// <summary>A ticket thread to summarize; <paramref name="MaxSentences"/> defaults to 3.</summary>
public sealed record SummarizeRequest(string? Subject, string? Body, int? MaxSentences = null);

public sealed record SummarizeResponse(IReadOnlyList<string> Summary, KeyFacts Facts, int Sentences, string Method);

/// <summary>Documents to add or replace (by id) in one commit.</summary>
public sealed record UpsertDocumentsRequest(IReadOnlyList<DocumentInput?>? Documents);

/// <summary>A past ticket (title = subject, answer = the agent's reply) or an article (title, body, reference = URL).</summary>
public sealed record DocumentInput(
    string? Id,
    string? Title,
    string? Body,
    string? Answer = null,
    string? Queue = null,
    IReadOnlyList<string>? Tags = null,
    string? Language = null,
    DateTimeOffset? Date = null,
    string? Reference = null);

public sealed record DeleteDocumentsRequest(IReadOnlyList<string?>? Ids);

public sealed record WriteResponse(string Collection, int Added, int Replaced, int Deleted, int Count);

public sealed record CollectionInfo(string Name, string Kind, int Count, bool Embeddings, IReadOnlyList<string> EncoderLanguages, double DenseWeight, double ConsensusWeight, string? TunedOn, string? Encoder = null);

public sealed record GapsResponse(DateTimeOffset Since, DateTimeOffset Until, double Threshold, IReadOnlyList<GapCluster> Gaps);

/// <summary>Query of <c>GET /kb/gaps</c>.</summary>
public sealed record GapsQuery
{
    /// <summary>Look at tickets of the last N days (1 to 365, default 30).</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "days")]
    public int? Days { get; init; }

    /// <summary>Smallest group reported (default 2).</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "minSize")]
    public int? MinSize { get; init; }
}
