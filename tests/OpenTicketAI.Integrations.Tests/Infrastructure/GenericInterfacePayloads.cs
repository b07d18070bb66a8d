using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// Requests of the Generic Interface requesters. Znuny's <c>Ticket::Generic</c> invoker: built from a request captured on the
/// wire (<c>Captured/znuny-ticket-generic-ticketcreate.json</c>: Znuny's invoker on OTOBO 11.0.6 with the project's web
/// service), so <c>Ticket.Article</c> is ONE object and <c>Ticket.Articles</c> the list, as TicketDeepGet sends them. OTOBO's
/// <c>Ticket::TicketCreate</c> invoker: <c>{ TicketID, TicketNumber, Ticket: { …, Article: [ … ] }, Article }</c>
/// (Kernel/GenericInterface/Invoker/Ticket/Common.pm).
/// </summary>
public static class GenericInterfacePayloads
{
    private static readonly string Captured = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Captured", "znuny-ticket-generic-ticketcreate.json"));

    /// <summary>The captured TicketCreate request with another ticket's id, title, first article and queue/priority.</summary>
    public static byte[] Znuny(int ticketId, (string Subject, string Body) ticket, string queue = "Raw", string priority = "3 normal", bool withEventName = true) =>
        Encoding.UTF8.GetBytes(ZnunyRequest(ticketId, ticket, queue, priority, withEventName ? "TicketCreate" : null).ToJsonString());

    /// <summary>
    /// A later ticket event of Znuny's <c>Ticket::Generic</c> invoker: the event data (<c>Event</c>, <c>TicketID</c>, and
    /// <c>ArticleID</c> for ArticleCreate) and the ticket after the change, with who changed it and when.
    /// </summary>
    public static byte[] ZnunyEvent(string? eventName, int ticketId, (string Subject, string Body) ticket, string queue, string priority, string changeBy, string changed, string stateType = "open", (string SenderType, string Visible, string CreateTime)? newArticle = null)
    {
        var request = ZnunyRequest(ticketId, ticket, queue, priority, eventName);
        var data = request["Ticket"]!.AsObject();
        data["ChangeBy"] = int.Parse(changeBy, CultureInfo.InvariantCulture);
        data["Changed"] = changed;
        data["StateType"] = stateType;
        data["State"] = stateType == "closed" ? "closed successful" : "open";
        if (newArticle is { } added)
        {
            var article = data["Article"]!.DeepClone().AsObject();
            article["ArticleID"] = (ticketId * 10) + 1;
            article["ArticleNumber"] = 2;
            article["Subject"] = "Re: " + ticket.Subject;
            article["Body"] = "We refunded the second charge.";
            article["SenderType"] = added.SenderType;
            article["IsVisibleForCustomer"] = int.Parse(added.Visible, CultureInfo.InvariantCulture);
            article["CreateTime"] = added.CreateTime;
            data["Articles"]!.AsArray().Add(article.DeepClone());
            data["Article"] = article;
            request["Event"]!["ArticleID"] = article["ArticleID"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);
        }

        return Encoding.UTF8.GetBytes(request.ToJsonString());
    }

    public static byte[] Otobo(int ticketId, (string Subject, string Body) ticket, string queue = "Raw", string priority = "3 normal")
    {
        var article = Article(ticketId, ticket);
        var data = ZnunyRequest(ticketId, ticket, queue, priority, null)["Ticket"]!.DeepClone().AsObject();
        data.Remove("Articles");
        data["Article"] = new JsonArray(article.DeepClone());
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["TicketID"] = ticketId.ToString(CultureInfo.InvariantCulture),
            ["TicketNumber"] = data["TicketNumber"]!.DeepClone(),
            ["Ticket"] = data,
            ["Article"] = article,
        }.ToJsonString());
    }

    /// <summary>The header as a short password gives it: <c>Basic</c> and one base64 token.</summary>
    public static (string, string) Basic(string user, string password) =>
        ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>
    /// The header as Znuny's REST transport sends it: Perl's <c>encode_base64</c> ends a line after every 76 characters
    /// (<paramref name="separator"/>: the newline Perl writes, or the space it arrives as on the wire).
    /// </summary>
    public static (string, string) BasicAsPerlSendsIt(string user, string password, string separator = " ")
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var lines = Enumerable.Range(0, (encoded.Length + 75) / 76).Select(i => encoded.Substring(i * 76, Math.Min(76, encoded.Length - (i * 76))));
        return ("Authorization", "Basic " + string.Join(separator, lines));
    }

    private static JsonObject ZnunyRequest(int ticketId, (string Subject, string Body) ticket, string queue, string priority, string? eventName)
    {
        var request = JsonNode.Parse(Captured)!.AsObject();
        var eventData = new JsonObject { ["TicketID"] = ticketId.ToString(CultureInfo.InvariantCulture) };
        if (eventName is not null)
        {
            eventData["Event"] = eventName;
        }

        request["Event"] = eventData;
        var data = request["Ticket"]!.AsObject();
        data["TicketID"] = ticketId;
        data["TicketNumber"] = (2024010100000 + ticketId).ToString(CultureInfo.InvariantCulture);
        data["Title"] = ticket.Subject;
        data["Queue"] = queue;
        data["Priority"] = priority;
        data["Created"] = "2024-01-01 10:00:00";
        data["Changed"] = "2024-01-01 10:00:00";
        var article = Article(ticketId, ticket);
        data["Article"] = article.DeepClone();
        data["Articles"] = new JsonArray(article);
        return request;
    }

    private static JsonObject Article(int ticketId, (string Subject, string Body) ticket)
    {
        var article = JsonNode.Parse(Captured)!["Ticket"]!["Article"]!.DeepClone().AsObject();
        article["ArticleID"] = ticketId * 10;
        article["TicketID"] = ticketId;
        article["Subject"] = ticket.Subject;
        article["Body"] = ticket.Body;
        article["CreateTime"] = "2024-01-01 10:00:00";
        return article;
    }
}
