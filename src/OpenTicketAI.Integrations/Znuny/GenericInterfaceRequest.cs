using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Znuny;

/// <summary>
/// Reads the ticket a Znuny or OTOBO Generic Interface requester POSTs, and checks its HTTP Basic credentials (the REST
/// transport's <c>Authentication: BasicAuth</c>). Shapes: Znuny's <c>Ticket::Generic</c> invoker sends
/// <c>{ "Ticket": TicketDeepGet (with an <c>Article</c> list), "Event": { "TicketID": … } }</c>
/// (Kernel/GenericInterface/Invoker/Ticket/Generic.pm, PrepareRequest); OTOBO's <c>Ticket::TicketCreate</c> invoker sends
/// <c>{ "TicketID", "TicketNumber", "Ticket": { …, "Article": [ … ] }, "Article": { … } }</c>
/// (Kernel/GenericInterface/Invoker/Ticket/Common.pm, PrepareRequest).
/// </summary>
public static class GenericInterfaceRequest
{
    /// <summary>Null when the credentials are right; otherwise the refusal.</summary>
    public static InboundResult? Authenticate(GenericInterfaceInstanceOptions instance, InboundRequest request)
    {
        if (!string.IsNullOrEmpty(instance.WebhookPassword))
        {
            var expected = Encoding.UTF8.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{instance.WebhookUser}:{instance.WebhookPassword}")));
            var actual = Encoding.UTF8.GetBytes(request.Header("Authorization") ?? string.Empty);
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return InboundResult.Unauthorized("the Basic credentials are missing or wrong; set the requester's Authentication to BasicAuth with WebhookUser/WebhookPassword.");
            }
        }
        else if (!instance.AllowUnsignedWebhooks)
        {
            return InboundResult.Unauthorized("no WebhookPassword is configured for this instance, and unauthenticated requests are not allowed.");
        }

        return null;
    }

    /// <summary>Ticket events (<c>Event.Event</c>) that become feedback and lifecycle events instead of a classification.</summary>
    public static readonly IReadOnlyList<string> ObservedEvents = ["TicketQueueUpdate", "TicketPriorityUpdate", "TicketStateUpdate", "ArticleCreate"];

    /// <param name="serviceUserId">The help-desk user id the service's own changes are made as (Znuny applies our answer as user 1).</param>
    public static InboundResult Parse(string helpDesk, HelpDeskInstanceOptions instance, InboundRequest request, string? serviceUserId = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            return InboundResult.Invalid($"the body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var ticket = root.Child("Ticket");
            var ticketId = ticket.Text("TicketID") ?? root.Text("TicketID") ?? root.Child("Event").Text("TicketID");
            if (ticketId is null)
            {
                return InboundResult.Invalid("the body has no Ticket.TicketID; use the Ticket::Generic (Znuny) or Ticket::TicketCreate (OTOBO) invoker.");
            }

            var eventName = root.Child("Event").Text("Event") ?? "TicketCreate";
            if (ObservedEvents.Contains(eventName))
            {
                return InboundResult.Observe(Observe(helpDesk, instance, request, root, ticket, ticketId, eventName, serviceUserId));
            }

            // The first customer-visible article is the customer's message; agents' notes are never classified.
            var articles = ticket.Items("Article").ToList();
            if (root.Child("Article") is { ValueKind: JsonValueKind.Object } single)
            {
                articles.Add(single);
            }

            var article = articles.FirstOrDefault(a => a.Text("IsVisibleForCustomer") != "0" && !string.Equals(a.Text("SenderType"), "agent", StringComparison.OrdinalIgnoreCase));
            if (article.ValueKind != JsonValueKind.Object)
            {
                article = articles.FirstOrDefault();
            }

            var body = article.ValueKind == JsonValueKind.Object ? article.Text("Body") : null;
            if (body is not null && ((article.Text("ContentType") ?? article.Text("MimeType") ?? string.Empty).Contains("html", StringComparison.OrdinalIgnoreCase)))
            {
                body = HtmlText.ToPlainText(body);
            }

            var subject = ticket.Text("Title") ?? article.Text("Subject");
            if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
            {
                return InboundResult.Ignore("the ticket has neither a title nor an article body to classify.");
            }

            return InboundResult.Accept(new TicketEvent(
                helpDesk,
                instance.Name,
                $"{eventName}:{ticketId}",
                eventName,
                ticketId,
                ticket.Text("TicketNumber") ?? root.Text("TicketNumber"),
                subject,
                body,
                ticket.Text("Queue"),
                ticket.Text("Priority"),
                [])
            {
                CreatedAt = ticket.Time("Created"),
            });
        }
    }

    /// <summary>
    /// A ticket event of the <c>Ticket::Generic</c> invoker: <c>Ticket</c> is TicketDeepGet after the change (<c>Queue</c>,
    /// <c>Priority</c>, <c>StateType</c>, <c>Changed</c>, <c>ChangeBy</c>), <c>Event</c> the event data (<c>TicketID</c>, and
    /// <c>ArticleID</c> for ArticleCreate; Kernel/System/Ticket.pm EventHandler calls). An agent article visible to the customer
    /// is a reply at its <c>CreateTime</c>; a state of type <c>closed</c> is resolved at <c>Changed</c>. Times are in the
    /// help desk's system time zone, UTC unless <c>OTRSTimeZone</c> says otherwise. The body hash is the delivery id: Znuny's
    /// scheduler resends the same request, while two changes differ in <c>Changed</c>.
    /// </summary>
    private static TicketObservation Observe(string helpDesk, HelpDeskInstanceOptions instance, InboundRequest request, JsonElement root, JsonElement ticket, string ticketId, string eventName, string? serviceUserId)
    {
        DateTimeOffset? reply = null;
        if (eventName == "ArticleCreate")
        {
            var articles = ticket.Items("Article").ToList();
            if (root.Child("Article") is { ValueKind: JsonValueKind.Object } single)
            {
                articles.Add(single);
            }

            var articleId = root.Child("Event").Text("ArticleID");
            var article = articles.FirstOrDefault(a => articleId is not null && a.Text("ArticleID") == articleId);
            if (article.ValueKind != JsonValueKind.Object)
            {
                article = articles.LastOrDefault();
            }

            if (string.Equals(article.Text("SenderType"), "agent", StringComparison.OrdinalIgnoreCase) && article.Text("IsVisibleForCustomer") == "1")
            {
                reply = article.Time("CreateTime") ?? ticket.Time("Changed");
            }
        }

        var actor = ticket.Text("ChangeBy");
        return new TicketObservation(
            helpDesk,
            instance.Name,
            $"{eventName}:{ticketId}:{Convert.ToHexStringLower(SHA256.HashData(request.Body.Span))[..32]}",
            eventName,
            ticketId,
            ticket.Time("Changed"),
            ticket.Text("Queue"),
            ticket.Text("Priority"),
            actor,
            actor is not null && actor == serviceUserId,
            reply,
            string.Equals(ticket.Text("StateType"), "closed", StringComparison.OrdinalIgnoreCase) ? ticket.Time("Changed") : null);
    }

}
