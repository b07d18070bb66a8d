using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Import;

/// <summary>The feedback store's tickets as past tickets, for <c>otai index --from-feedback</c> and the service's resolved-ticket indexer.</summary>
public static class FeedbackDocuments
{
    /// <summary>
    /// A ticket of the feedback store as a past ticket: its text and the labels agents confirmed or corrected; the id is the
    /// store's <c>source:ticket</c> (e.g. <c>zammad/main:81</c>), the date when it was resolved. The store keeps no answer text.
    /// </summary>
    public static KnowledgeDocument FromFeedback(LabelledTicket ticket) => new()
    {
        Id = ticket.Ticket.ToString(),
        Title = string.IsNullOrWhiteSpace(ticket.Subject) ? null : ticket.Subject,
        Body = string.IsNullOrEmpty(ticket.Body) ? null : ticket.Body,
        Queue = ticket.Labels.GetValueOrDefault("queue"),
        Tags = ticket.Labels.TryGetValue("tags", out var tags) ? tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
        Language = ticket.Labels.GetValueOrDefault("language")?.ToLowerInvariant(),
        Date = ticket.ResolvedAt ?? ticket.At,
        Reference = ticket.Ticket.TicketId,
    };

    /// <summary>Whether <paramref name="stored"/> (as a collection reads it back) already holds <paramref name="document"/>: then upserting it again would only encode it again.</summary>
    public static bool IsStored(KnowledgeDocument? stored, KnowledgeDocument document) =>
        stored is not null
        && Same(stored.Title, document.Title) && Same(stored.Body, document.Body) && Same(stored.Answer, document.Answer)
        && Same(stored.Queue, document.Queue) && Same(stored.Reference, document.Reference)
        && Same(stored.Language, document.Language is { Length: > 0 } language ? CollectionManifest.Primary(language) : null)
        && stored.Date?.UtcTicks == document.Date?.UtcTicks
        && stored.Tags.SequenceEqual(document.Tags, StringComparer.Ordinal);

    /// <summary>A collection stores no empty field: empty and missing are the same.</summary>
    private static bool Same(string? stored, string? value) => string.Equals(string.IsNullOrEmpty(stored) ? null : stored, string.IsNullOrEmpty(value) ? null : value, StringComparison.Ordinal);
}
