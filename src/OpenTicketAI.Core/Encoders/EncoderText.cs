using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Core.Encoders;

/// <summary>
/// How a ticket becomes the encoder's token sequence. Subject and body are encoded as ONE text, <c>"subject. body"</c>
/// (one encoder run per ticket, half the cost of encoding them separately). A ticket longer than the encoder's window
/// keeps its head and its tail: <c>[CLS] first (maxTokens - 2 - tail) tokens, last tail tokens [SEP]</c>, because the
/// opening states the problem and the end often holds the actual request or the latest reply. Before tokenizing,
/// text beyond <see cref="MaxHeadChars"/> + <see cref="MaxTailChars"/> characters is cut (keeping head and tail) so a
/// huge body costs bounded time.
/// </summary>
public static class EncoderText
{
    /// <summary>Characters per token kept before tokenizing; WordPiece averages 4-5 characters per token in English.</summary>
    public const int CharsPerToken = 16;

    public static int MaxHeadChars(int maxTokens) => CharsPerToken * maxTokens;

    public static int MaxTailChars(int tailTokens) => CharsPerToken * Math.Max(tailTokens, 16);

    /// <summary><c>"subject. body"</c> (no extra period when the subject ends in punctuation), literal <c>\n</c> as a line break, bounded in length.</summary>
    public static string Compose(TicketText ticket, int maxTokens, int tailTokens)
    {
        var subject = ticket.Subject?.Trim() ?? "";
        var body = (ticket.Body ?? "").Replace("\\n", "\n", StringComparison.Ordinal).Trim();
        string text;
        if (subject.Length == 0)
        {
            text = body;
        }
        else if (body.Length == 0)
        {
            text = subject;
        }
        else
        {
            text = char.IsPunctuation(subject[^1]) ? $"{subject} {body}" : $"{subject}. {body}";
        }

        var head = MaxHeadChars(maxTokens);
        var tail = MaxTailChars(tailTokens);
        return text.Length <= head + tail ? text : string.Concat(text.AsSpan(0, head), " ", text.AsSpan(text.Length - tail));
    }

    /// <summary>
    /// <c>[CLS] content [SEP]</c> with at most <paramref name="maxTokens"/> ids; longer content keeps its first
    /// <c>maxTokens - 2 - tail</c> and last <c>tail = min(tailTokens, (maxTokens - 2) / 2)</c> ids.
    /// </summary>
    public static int[] Window(IReadOnlyList<int> content, int maxTokens, int tailTokens, int classificationId, int separatorId)
    {
        var budget = maxTokens - 2;
        var tail = Math.Min(tailTokens, budget / 2);
        var head = content.Count <= budget ? content.Count : budget - tail;
        var kept = content.Count <= budget ? 0 : tail;
        var ids = new int[head + kept + 2];
        ids[0] = classificationId;
        for (var i = 0; i < head; i++)
        {
            ids[1 + i] = content[i];
        }

        for (var i = 0; i < kept; i++)
        {
            ids[1 + head + i] = content[content.Count - kept + i];
        }

        ids[^1] = separatorId;
        return ids;
    }
}
