using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Integrations.Answers;

/// <summary>The notes the answers add to one ticket's changes, and the ones not written (opt-in off, abstained, failed).</summary>
public sealed record AnswerNotesPlan(IReadOnlyList<string> Notes, IReadOnlyList<SkippedValue> Skipped)
{
    public static AnswerNotesPlan None { get; } = new([], []);
}

/// <summary>
/// Decides, per ticket, whether the instance gets a suggested reply and a summary (its <see cref="AnswerNotesOptions"/> and
/// the fired <c>suggest reply</c> / <c>add summary</c> actions), asks <see cref="ITicketAnswers"/> and words the notes.
/// An abstention or a failure writes nothing and is reported as skipped; it never fails the delivery.
/// </summary>
public sealed partial class AnswerNotes(ITicketAnswers answers, ILogger<AnswerNotes> logger)
{
    public const string ReplyLabel = "suggested reply";
    public const string SummaryLabel = "summary";

    public AnswerNotesPlan Plan(HelpDeskInstanceOptions instance, TicketEvent ticket, RuleEvaluation evaluation, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var skipped = new List<SkippedValue>();
        var text = new TicketText(ticket.Subject, ticket.Body);
        var options = instance.Answers;
        if (Wanted(options.SuggestReply, RuleActionKind.SuggestReply, evaluation, "SuggestReply", ReplyLabel, skipped))
        {
            Add(ReplyLabel, () =>
            {
                var draft = answers.SuggestReply(text, options.Collection, cancellationToken);
                return draft.Text is null ? (null, draft.Abstained ?? "nothing close enough") : (ReplyNote(draft), null);
            });
        }

        if (Wanted(options.Summary, RuleActionKind.AddSummary, evaluation, "Summary", SummaryLabel, skipped))
        {
            Add(SummaryLabel, () =>
            {
                var digest = answers.Summarize(text, options.SummarySentences, cancellationToken);
                if (digest.Abstained is { } reason)
                {
                    return (null, reason);
                }

                return digest.SentenceCount <= digest.Sentences.Count
                    ? (null, string.Create(CultureInfo.InvariantCulture, $"the message has {digest.SentenceCount} sentences; nothing to shorten"))
                    : (SummaryNote(digest), null);
            });
        }

        return notes.Count == 0 && skipped.Count == 0 ? AnswerNotesPlan.None : new AnswerNotesPlan(notes, skipped);

        void Add(string label, Func<(string? Note, string? Reason)> make)
        {
            try
            {
                var (note, reason) = make();
                if (note is not null)
                {
                    notes.Add(note);
                }
                else
                {
                    skipped.Add(new SkippedValue("note", label, reason!));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ticket.HelpDesk, ticket.Instance, ticket.TicketId, label, ex);
                skipped.Add(new SkippedValue("note", label, $"failed: {ex.Message}"));
            }
        }
    }

    private static bool Wanted(AnswerNoteMode mode, RuleActionKind kind, RuleEvaluation evaluation, string key, string label, List<SkippedValue> skipped)
    {
        if (mode == AnswerNoteMode.Always)
        {
            return true;
        }

        if (!evaluation.Actions.Any(a => a.Kind == kind))
        {
            return false;
        }

        if (mode == AnswerNoteMode.Off)
        {
            skipped.Add(new SkippedValue("note", label, $"a rule asked for it, but the instance's Answers:{key} is Off"));
            return false;
        }

        return true;
    }

    /// <summary>The draft under a line that says what it is, then its sources: the agent sees it is a draft, never sent.</summary>
    public static string ReplyNote(ReplyDraft draft)
    {
        var note = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Suggested reply (Open Ticket AI draft, not sent to the customer; confidence {draft.Confidence:0.00}):")
            .Append("\n\n")
            .Append(draft.Text!.Trim());
        if (draft.Sources.Count > 0)
        {
            note.Append("\n\nSources: ").AppendJoin("; ", draft.Sources.Select(Describe));
        }

        return note.ToString();
    }

    public static string SummaryNote(ThreadDigest digest)
    {
        var note = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Summary (Open Ticket AI, {digest.Sentences.Count} of {digest.SentenceCount} sentences):");
        foreach (var sentence in digest.Sentences)
        {
            note.Append("\n- ").Append(sentence.Trim());
        }

        if (digest.Facts.Count > 0)
        {
            note.Append("\nKey facts: ").AppendJoin("; ", digest.Facts.Select(f => $"{f.Kind} {f.Value}"));
        }

        return note.ToString();
    }

    private static string Describe(ReplySource source)
    {
        var what = source.Kind == "article" ? "article" : "past ticket";
        var name = source.Title is { Length: > 0 } title ? $" \"{title}\"" : string.Empty;
        var reference = source.Reference is { Length: > 0 } r && r != source.Id ? $" {r}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{what} {source.Id}{name}{reference} ({source.Confidence:0.00})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance} ticket {TicketId}: the {Label} could not be made; no note written")]
    private static partial void LogFailed(ILogger logger, string helpDesk, string instance, string ticketId, string label, Exception exception);
}
