using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Integrations.Answers;

/// <summary>
/// Draft replies and thread summaries for help-desk tickets. The integrations only ask; the host answers from its knowledge
/// collections (the service implements it over <c>OpenTicketAI.Knowledge</c>), so this project needs neither Lucene nor
/// the encoder. Without a host implementation every request abstains (<see cref="NoTicketAnswers"/>).
/// </summary>
public interface ITicketAnswers
{
    /// <param name="collection">The past-tickets collection to draw from, or null for the host's default.</param>
    ReplyDraft SuggestReply(TicketText ticket, string? collection, CancellationToken cancellationToken);

    ThreadDigest Summarize(TicketText ticket, int maxSentences, CancellationToken cancellationToken);
}

/// <summary>A draft reply with what it was built from, or an abstention (<see cref="Text"/> null, <see cref="Abstained"/> says why).</summary>
public sealed record ReplyDraft(string? Text, double Confidence, IReadOnlyList<ReplySource> Sources, string? Abstained)
{
    public static ReplyDraft Abstain(string reason, double confidence = 0) => new(null, confidence, [], reason);
}

/// <param name="Kind"><c>ticket</c> (a past ticket's answer) or <c>article</c>.</param>
/// <param name="Reference">The help desk's ticket number or the article's URL, when known.</param>
public sealed record ReplySource(string Kind, string Id, string? Title, string? Reference, double Confidence);

/// <summary>The chosen sentences in text order, how many the text had, and its key facts; or an abstention.</summary>
public sealed record ThreadDigest(IReadOnlyList<string> Sentences, int SentenceCount, IReadOnlyList<KeyFact> Facts, string? Abstained)
{
    public static ThreadDigest Abstain(string reason) => new([], 0, [], reason);
}

/// <param name="Kind"><c>order</c>, <c>invoice</c>, <c>date</c>, <c>version</c> or <c>error</c>.</param>
public sealed record KeyFact(string Kind, string Value);

/// <summary>The answer of a host without knowledge collections: always abstains.</summary>
public sealed class NoTicketAnswers : ITicketAnswers
{
    private const string Reason = "this host has no knowledge collections";

    public ReplyDraft SuggestReply(TicketText ticket, string? collection, CancellationToken cancellationToken) => ReplyDraft.Abstain(Reason);

    public ThreadDigest Summarize(TicketText ticket, int maxSentences, CancellationToken cancellationToken) => ThreadDigest.Abstain(Reason);
}
