using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Answers;

/// <summary>Where a suggested reply came from: a past ticket (its answer) or an article.</summary>
public sealed record SuggestionSource(string Collection, CollectionKind Kind, string Id, string? Title, string? Reference, double Confidence, string? Answer);

/// <summary>
/// A draft reply with its sources and a confidence (the best source's encoder cosine; word overlap when the query was
/// searched lexically). <see cref="NeedsReview"/> and a null <see cref="Draft"/> mean nothing was close enough.
/// </summary>
public sealed record Suggestion(string? Draft, double Confidence, bool NeedsReview, IReadOnlyList<SuggestionSource> Sources);

/// <summary>
/// Builds a draft reply from the answers of the most similar past tickets and the best-matching articles. The draft is
/// the answer of the best past ticket; when an article is closer than every ticket, the draft points to the article
/// and quotes its opening. Never sent to a customer by itself: help-desk integrations write it as an internal note.
/// </summary>
public static class ReplySuggester
{
    public static Suggestion Suggest(KnowledgeQuery query, KnowledgeIndex? tickets, KnowledgeIndex? articles, double threshold, int sources = 3)
    {
        ArgumentNullException.ThrowIfNull(query);
        var candidates = new List<SuggestionSource>();
        if (tickets is not null)
        {
            var result = tickets.Search(query with { TopK = sources * 2 });
            candidates.AddRange(result.Hits.Where(h => h.Document.Answer is not null).Take(sources)
                .Select(h => new SuggestionSource(tickets.Name, CollectionKind.Tickets, h.Document.Id, h.Document.Title, h.Document.Reference, Confidence(query, h), h.Document.Answer)));
        }

        if (articles is not null)
        {
            var result = articles.Search(query with { TopK = sources });
            candidates.AddRange(result.Hits.Select(h => new SuggestionSource(articles.Name, CollectionKind.Articles, h.Document.Id, h.Document.Title, h.Document.Reference, Confidence(query, h), Opening(h.Document.Body))));
        }

        var ranked = candidates.OrderByDescending(c => c.Confidence).ToList();
        if (ranked.Count == 0 || ranked[0].Confidence < threshold)
        {
            return new Suggestion(null, ranked.Count == 0 ? 0 : ranked[0].Confidence, true, ranked);
        }

        var best = ranked[0];
        var draft = best.Kind == CollectionKind.Tickets
            ? best.Answer
            : $"This article should help: {best.Title} ({best.Reference}).\n\n{best.Answer}";
        return new Suggestion(draft, best.Confidence, false, ranked);
    }

    /// <summary>Encoder cosine when the hit has one; otherwise the share of the query's words the document contains.</summary>
    public static double Confidence(KnowledgeQuery query, KnowledgeHit hit)
    {
        if (hit.Cosine is { } cosine)
        {
            return Math.Round(Math.Clamp(cosine, 0, 1), 4);
        }

        var words = Words(query.Text);
        var document = Words($"{hit.Document.Title} {hit.Document.Body}");
        return words.Count == 0 ? 0 : Math.Round((double)words.Count(document.Contains) / words.Count, 4);
    }

    private static HashSet<string> Words(string text) =>
        text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', ',', '!', '?', ':', ';', '"', '\'', '(', ')')).Where(w => w.Length > 2).ToHashSet(StringComparer.Ordinal);

    private static string? Opening(string? body)
    {
        if (body is null)
        {
            return null;
        }

        var sentences = Summaries.Sentences.Split(body);
        return string.Join(' ', sentences.Take(2));
    }
}
