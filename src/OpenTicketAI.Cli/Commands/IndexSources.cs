using System.Security.Cryptography;
using System.Text;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Import;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Cli.Commands;

/// <summary>What <c>otai index</c> makes of a training recipe's rows and of help desks' closed tickets (the feedback store's: <see cref="FeedbackDocuments"/>).</summary>
internal static class IndexSources
{
    /// <summary>
    /// A recipe row as a past ticket: subject, body, the source's <c>answer</c> column, the <c>queue</c> and <c>language</c>
    /// labels and the tags head. Rows without an <c>id</c> column get one from their text, so indexing again replaces them.
    /// </summary>
    public static KnowledgeDocument FromRow(LabeledTicket row, string tagsHead = DataRecipe.DefaultTagsHead) => new()
    {
        Id = row.Id ?? "text-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{row.Text.Subject}\n{row.Text.Body}")))[..16],
        Title = row.Text.Subject,
        Body = row.Text.Body,
        Answer = row.Answer,
        Queue = row.Labels.GetValueOrDefault("queue"),
        Tags = row.MultiLabels.GetValueOrDefault(tagsHead) ?? [],
        Language = row.Labels.GetValueOrDefault("language")?.ToLowerInvariant(),
    };

    /// <summary>
    /// A help desk's closed ticket as a past ticket: subject, the customer's text, the agent's first reply as the answer, the
    /// group as queue, its tags, closed-at as date; the id is the feedback store's form (<c>zammad/main:81</c>), so a ticket
    /// indexed from both sources is one document, and the reference the ticket number agents see. The help desk names no
    /// language: the service's identifier does, when it is sure (else none, and the document is embedded as unknown).
    /// </summary>
    public static KnowledgeDocument FromHelpDesk(ResolvedTicket ticket, LanguageIdentifier? languages = null) => new()
    {
        Id = ticket.Id,
        Title = ticket.Subject,
        Body = ticket.Body,
        Answer = ticket.Answer,
        Queue = ticket.Queue,
        Tags = ticket.Tags,
        Date = ticket.ResolvedAt,
        Reference = ticket.Reference,
        Language = languages?.Identify(new TicketText(ticket.Subject, ticket.Body)) is { NeedsReview: false, Label: { } code } && code != LanguageCodes.Undetermined ? code : null,
    };
}
