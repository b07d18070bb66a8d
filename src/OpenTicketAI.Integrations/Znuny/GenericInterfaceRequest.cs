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

    public static InboundResult Parse(string helpDesk, HelpDeskInstanceOptions instance, InboundRequest request)
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

            var eventName = root.Child("Event").Text("Event") ?? "TicketCreate";
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
                []));
        }
    }
}
