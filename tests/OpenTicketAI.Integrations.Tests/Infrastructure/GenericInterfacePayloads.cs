using System.Text;
using System.Text.Json;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// Requests of the Generic Interface requesters: Znuny's <c>Ticket::Generic</c> invoker (<c>{ Ticket: TicketDeepGet, Event }</c>,
/// Kernel/GenericInterface/Invoker/Ticket/Generic.pm) and OTOBO's <c>Ticket::TicketCreate</c> invoker
/// (<c>{ TicketID, TicketNumber, Ticket: { …, Article: [ … ] }, Article }</c>, Kernel/GenericInterface/Invoker/Ticket/Common.pm).
/// </summary>
public static class GenericInterfacePayloads
{
    public static byte[] Znuny(int ticketId, (string Subject, string Body) ticket, string queue = "Raw", string priority = "3 normal") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["Event"] = new Dictionary<string, object?> { ["TicketID"] = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Event"] = "TicketCreate" },
            ["Ticket"] = TicketData(ticketId, ticket, queue, priority, includeArticles: true),
        });

    /// <summary>
    /// A later ticket event of Znuny's <c>Ticket::Generic</c> invoker: the event data (<c>Event</c>, <c>TicketID</c>, and
    /// <c>ArticleID</c> for ArticleCreate) and the ticket after the change, with who changed it and when.
    /// </summary>
    public static byte[] ZnunyEvent(string eventName, int ticketId, (string Subject, string Body) ticket, string queue, string priority, string changeBy, string changed, string stateType = "open", (string SenderType, string Visible, string CreateTime)? newArticle = null)
    {
        var data = TicketData(ticketId, ticket, queue, priority, includeArticles: true);
        data["ChangeBy"] = changeBy;
        data["Changed"] = changed;
        data["StateType"] = stateType;
        data["State"] = stateType == "closed" ? "closed successful" : "open";
        var eventData = new Dictionary<string, object?> { ["Event"] = eventName, ["TicketID"] = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (newArticle is { } added)
        {
            var article = Article(ticketId, ("Re: " + ticket.Subject, "We refunded the second charge."));
            article["ArticleID"] = (ticketId * 10 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            article["SenderType"] = added.SenderType;
            article["IsVisibleForCustomer"] = added.Visible;
            article["CreateTime"] = added.CreateTime;
            data["Article"] = new[] { Article(ticketId, ticket), article };
            eventData["ArticleID"] = article["ArticleID"];
        }

        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["Event"] = eventData, ["Ticket"] = data });
    }

    public static byte[] Otobo(int ticketId, (string Subject, string Body) ticket, string queue = "Raw", string priority = "3 normal") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["TicketID"] = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TicketNumber"] = (2024010100000 + ticketId).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ticket"] = TicketData(ticketId, ticket, queue, priority, includeArticles: true),
            ["Article"] = Article(ticketId, ticket),
        });

    public static (string, string) Basic(string user, string password) =>
        ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static Dictionary<string, object?> TicketData(int ticketId, (string Subject, string Body) ticket, string queue, string priority, bool includeArticles)
    {
        var data = new Dictionary<string, object?>
        {
            ["TicketID"] = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TicketNumber"] = (2024010100000 + ticketId).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Title"] = ticket.Subject,
            ["Queue"] = queue,
            ["QueueID"] = "2",
            ["Priority"] = priority,
            ["PriorityID"] = "3",
            ["State"] = "new",
            ["Type"] = "Unclassified",
            ["CustomerUserID"] = "emily@example.com",
            ["Owner"] = "root@localhost",
            ["Lock"] = "unlock",
            ["Created"] = "2024-01-01 10:00:00",
        };
        if (includeArticles)
        {
            data["Article"] = new[] { Article(ticketId, ticket) };
        }

        return data;
    }

    private static Dictionary<string, object?> Article(int ticketId, (string Subject, string Body) ticket) => new()
    {
        ["ArticleID"] = (ticketId * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TicketID"] = ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SenderType"] = "customer",
        ["IsVisibleForCustomer"] = "1",
        ["CommunicationChannel"] = "Email",
        ["From"] = "Emily Adams <emily@example.com>",
        ["Subject"] = ticket.Subject,
        ["Body"] = ticket.Body,
        ["ContentType"] = "text/plain; charset=utf-8",
        ["MimeType"] = "text/plain",
        ["Charset"] = "utf-8",
    };
}
