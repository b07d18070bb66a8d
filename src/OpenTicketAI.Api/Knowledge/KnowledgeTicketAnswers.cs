using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Knowledge.Answers;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Summaries;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>
/// Suggested replies and summaries for the help-desk integrations, made exactly as <c>POST /suggest</c> and
/// <c>POST /summarize</c> make them: the same collections, encoder and <c>Knowledge:SuggestThreshold</c>.
/// </summary>
public sealed class KnowledgeTicketAnswers(KnowledgeStore store) : ITicketAnswers
{
    public ReplyDraft SuggestReply(TicketText ticket, string? collection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ticketsName = collection ?? store.Options.TicketsCollection;
        var tickets = store.Find(ticketsName);
        var articles = store.Find(store.Options.ArticlesCollection);
        if (tickets is null && articles is null)
        {
            return ReplyDraft.Abstain($"no knowledge collection '{ticketsName}' or '{store.Options.ArticlesCollection}' exists");
        }

        var suggestion = ReplySuggester.Suggest(new KnowledgeQuery { Subject = ticket.Subject, Body = ticket.Body }, tickets, articles, store.Options.SuggestThreshold);
        var sources = suggestion.Sources.Take(3)
            .Select(s => new ReplySource(s.Kind == CollectionKind.Articles ? "article" : "ticket", s.Id, s.Title, s.Reference, s.Confidence))
            .ToList();
        return suggestion.Draft is null
            ? ReplyDraft.Abstain(FormattableString.Invariant($"nothing close enough (best {suggestion.Confidence:0.00} < Knowledge:SuggestThreshold {store.Options.SuggestThreshold:0.00})"), suggestion.Confidence)
            : new ReplyDraft(suggestion.Draft, suggestion.Confidence, sources, null);
    }

    public ThreadDigest Summarize(TicketText ticket, int maxSentences, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(ticket.Body))
        {
            return ThreadDigest.Abstain("the ticket has no message text");
        }

        var summary = new ThreadSummarizer(store.Encoder).Summarize(ticket.Subject, ticket.Body, maxSentences);
        var facts = summary.Facts;
        var keyFacts = facts.OrderNumbers.Select(v => new KeyFact("order", v))
            .Concat(facts.InvoiceNumbers.Select(v => new KeyFact("invoice", v)))
            .Concat(facts.Dates.Select(v => new KeyFact("date", v)))
            .Concat(facts.Versions.Select(v => new KeyFact("version", v)))
            .Concat(facts.ErrorCodes.Select(v => new KeyFact("error", v)))
            .ToList();
        return new ThreadDigest(summary.Sentences, summary.SentenceCount, keyFacts, null);
    }
}
