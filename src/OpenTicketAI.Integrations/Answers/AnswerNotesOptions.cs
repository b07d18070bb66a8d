using System.Text.Json.Serialization;

namespace OpenTicketAI.Integrations.Answers;

/// <summary>When a help-desk instance gets a suggested reply or a summary as an internal note.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnswerNoteMode>))]
public enum AnswerNoteMode
{
    /// <summary>Never, not even when a rule asks (the default: drafts quote other customers' tickets).</summary>
    Off,

    /// <summary>When a rule fires <c>suggest reply</c> or <c>add summary</c>.</summary>
    Rules,

    /// <summary>For every new ticket.</summary>
    Always,
}

/// <summary>
/// An instance's opt-in (section <c>Answers</c> of the instance) to draft replies and summaries, written as internal notes,
/// never as a message to the customer.
/// </summary>
public sealed class AnswerNotesOptions
{
    public AnswerNoteMode SuggestReply { get; set; } = AnswerNoteMode.Off;

    public AnswerNoteMode Summary { get; set; } = AnswerNoteMode.Off;

    /// <summary>The past-tickets collection drafts come from; null: the service's <c>Knowledge:TicketsCollection</c>.</summary>
    public string? Collection { get; set; }

    /// <summary>Sentences a summary keeps; a message with no more sentences than this gets no summary.</summary>
    public int SummarySentences { get; set; } = 3;
}
