using System.Collections.Concurrent;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.Answers;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// Stands in for the service's knowledge collections at the <see cref="ITicketAnswers"/> seam (the real one, over Lucene and
/// the encoder, is tested in the API tests): answers with the given draft and summary, records what it was asked.
/// </summary>
public sealed class ScriptedAnswers(ReplyDraft reply, ThreadDigest summary) : ITicketAnswers
{
    public static readonly ReplyDraft Draft = new(
        "Hello,\nwe refunded the duplicate charge; it shows within five business days.",
        0.83,
        [new ReplySource("ticket", "T-17", "Charged twice", "4711", 0.83), new ReplySource("article", "refunds", "Refunds", "https://help.example.com/refunds", 0.71)],
        null);

    public static readonly ThreadDigest Digest = new(
        ["The payment for invoice INV-2024-0042 was charged twice.", "Please refund the second charge."],
        6,
        [new KeyFact("invoice", "INV-2024-0042")],
        null);

    public ConcurrentQueue<(string Kind, TicketText Ticket, string? Collection)> Asked { get; } = new();

    public Exception? Throw { get; init; }

    public static ScriptedAnswers Answering() => new(Draft, Digest);

    public static ScriptedAnswers Abstaining() => new(ReplyDraft.Abstain("nothing close enough (best 0.31 < 0.60)", 0.31), ThreadDigest.Abstain("no text"));

    public ReplyDraft SuggestReply(TicketText ticket, string? collection, CancellationToken cancellationToken)
    {
        Asked.Enqueue(("reply", ticket, collection));
        return Throw is null ? reply : throw Throw;
    }

    public ThreadDigest Summarize(TicketText ticket, int maxSentences, CancellationToken cancellationToken)
    {
        Asked.Enqueue(("summary", ticket, null));
        return Throw is null ? summary : throw Throw;
    }
}
