using System.Text.Json.Serialization;

namespace OpenTicketAI.Integrations.Rules;

[JsonConverter(typeof(JsonStringEnumConverter<RuleActionKind>))]
public enum RuleActionKind
{
    /// <summary><c>set queue = 'Billing'</c> or <c>move to 'Billing'</c>: a queue label, mapped to the help desk's queue.</summary>
    SetQueue,

    /// <summary><c>set priority = 'Urgent'</c>: a priority label, mapped to the help desk's priority.</summary>
    SetPriority,

    /// <summary><c>add tag 'VIP_Attention'</c>: written as written.</summary>
    AddTag,

    /// <summary><c>add note 'text with {queue}'</c>: an internal note.</summary>
    AddNote,

    /// <summary><c>notify 'tier2'</c>: POST to the notification target of that name.</summary>
    Notify,

    /// <summary><c>route to review</c>: send the ticket to the review queue.</summary>
    RouteToReview,

    /// <summary><c>suggest reply</c>: a draft reply from the knowledge collections, as an internal note (instance opt-in <c>Answers:SuggestReply</c>).</summary>
    SuggestReply,

    /// <summary><c>add summary</c>: an extractive summary of the ticket's text and its key facts, as an internal note (instance opt-in <c>Answers:Summary</c>).</summary>
    AddSummary,
}

/// <summary>A parsed action; <see cref="Value"/> may hold <c>{fact}</c> placeholders (notes).</summary>
public sealed record RuleActionTemplate(RuleActionKind Kind, string? Value, string Text);

/// <summary>An action that fired for one ticket, placeholders filled in.</summary>
/// <param name="Rule">The rule that fired it (<c>review</c> for the built-in review policy).</param>
public sealed record FiredAction(string Rule, RuleActionKind Kind, string? Value);
