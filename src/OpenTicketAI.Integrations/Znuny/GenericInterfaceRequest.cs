using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Znuny;

/// <summary>
/// Reads the ticket a Znuny or OTOBO Generic Interface requester POSTs, and checks its HTTP Basic credentials (the REST
/// transport's <c>Authentication: BasicAuth</c>). Shapes: Znuny's <c>Ticket::Generic</c> invoker sends
/// <c>{ "Ticket": TicketDeepGet, "Event": { "Event", "TicketID", … } }</c>, where TicketDeepGet holds <c>Article</c> as ONE
/// object and <c>Articles</c> as the list (Kernel/GenericInterface/Invoker/Ticket/Generic.pm, PrepareRequest; captured on the
/// wire in the project's test payloads); OTOBO's <c>Ticket::TicketCreate</c> invoker sends
/// <c>{ "TicketID", "TicketNumber", "Ticket": { …, "Article": [ … ] }, "Article": { … } }</c>
/// (Kernel/GenericInterface/Invoker/Ticket/Common.pm, PrepareRequest).
/// </summary>
public static class GenericInterfaceRequest
{
    /// <summary>
    /// Null when the credentials are right; otherwise the refusal. Perl's <c>encode_base64</c> in the REST transport wraps its
    /// output every 76 characters, so a long user:password arrives as <c>Basic &lt;76 chars&gt; &lt;rest&gt;</c>: the token is
    /// decoded, not compared as text. Both sides are compared as SHA-256 digests, so the time taken says nothing about
    /// the credential's length.
    /// </summary>
    public static InboundResult? Authenticate(GenericInterfaceInstanceOptions instance, InboundRequest request)
    {
        if (!string.IsNullOrEmpty(instance.WebhookPassword))
        {
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{instance.WebhookUser}:{instance.WebhookPassword}"));
            var actual = SHA256.HashData(DecodeBasic(request.Header("Authorization")) ?? []);
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
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

    /// <summary>The decoded <c>user:password</c> bytes of a Basic header (FromBase64String skips the wrap's whitespace); null when it is not one.</summary>
    public static byte[]? DecodeBasic(string? header)
    {
        if (header is null || !header.StartsWith("Basic", StringComparison.OrdinalIgnoreCase) || header.Length < 6 || !char.IsWhiteSpace(header[5]))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(header[6..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The event type of a request without <c>Event.Event</c> (older Znuny event handlers send only <c>Event.TicketID</c>). It is
    /// classified only when the ticket was never seen: it takes the creation's delivery id, and a later unnamed event of the same
    /// ticket is answered with nothing (<c>SynchronousResponses</c>), never with the stored answer, so the note is not added again.
    /// </summary>
    public const string UnnamedEvent = "(unnamed)";

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

            var eventName = root.Child("Event").Text("Event") ?? UnnamedEvent;
            if (ObservedEvents.Contains(eventName))
            {
                return InboundResult.Observe(Observe(helpDesk, instance, request, root, ticket, ticketId, eventName, serviceUserId));
            }

            // The first customer-visible article is the customer's message; agents' notes are never classified.
            var articles = Articles(root, ticket);
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

            // An unnamed event shares the creation's delivery id, so only the first one for a ticket is classified.
            return InboundResult.Accept(new TicketEvent(
                helpDesk,
                instance.Name,
                $"{(eventName == UnnamedEvent ? "TicketCreate" : eventName)}:{ticketId}",
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
            var articleId = root.Child("Event").Text("ArticleID");
            var articles = Articles(root, ticket);
            var article = articles.FirstOrDefault(a => articleId is not null && a.Text("ArticleID") == articleId);
            if (article.ValueKind != JsonValueKind.Object)
            {
                article = ticket.Child("Article") is { ValueKind: JsonValueKind.Object } asked ? asked : articles.LastOrDefault();
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

    /// <summary>
    /// Every article the request carries, oldest first, each once (by <c>ArticleID</c>): Znuny's TicketDeepGet gives
    /// <c>Ticket.Articles</c> (the list) and <c>Ticket.Article</c> (one object); OTOBO's invoker <c>Ticket.Article</c> as a
    /// list and <c>Article</c> at the top level.
    /// </summary>
    private static List<JsonElement> Articles(JsonElement root, JsonElement ticket)
    {
        var articles = new List<JsonElement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var article in ticket.Items("Articles").Concat(ticket.Items("Article")).Append(ticket.Child("Article")).Append(root.Child("Article")))
        {
            if (article.ValueKind == JsonValueKind.Object && (article.Text("ArticleID") is not { } id || seen.Add(id)))
            {
                articles.Add(article);
            }
        }

        return articles;
    }
}
