using System.Globalization;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.Polling;

/// <summary>
/// Zammad by polling, for a Zammad that cannot reach the service: <c>GET /api/v1/tickets/search?query=…&amp;sort_by=id&amp;
/// order_by=desc&amp;limit=…&amp;page=…&amp;expand=true</c> (expanded tickets carry <c>group</c> and <c>priority</c> names) and
/// <c>GET /api/v1/ticket_articles/by_ticket/{id}</c> for the first customer article (docs.zammad.org api/ticket,
/// api/ticket/articles). Write-back is the Zammad connector's.
/// </summary>
public sealed class ZammadPollingSource : IPollingSource
{
    public string HelpDesk => ZammadConnector.Name;

    public string CredentialKey => $"{ZammadOptions.SectionName}:Instances:<n>:Token";

    public async Task<PolledPage> FetchPageAsync(HttpClient client, HelpDeskInstanceOptions instance, int page, CancellationToken cancellationToken)
    {
        var polling = instance.Polling;
        var path = $"api/v1/tickets/search?query={Uri.EscapeDataString(polling.Query)}&sort_by=id&order_by=desc&limit={polling.PageSize.ToString(CultureInfo.InvariantCulture)}&page={page.ToString(CultureInfo.InvariantCulture)}&expand=true";
        using var document = await HelpDeskApi.GetJsonAsync(client, path, cancellationToken);
        var items = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
            : document.RootElement.Items("tickets");
        var tickets = items
            .Select(t => t.Number("id") is { } id ? new PolledTicket(id, t.Clone()) : null)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToList();
        return new PolledPage(tickets, tickets.Count >= polling.PageSize);
    }

    public async Task<TicketEvent?> LoadAsync(HttpClient client, HelpDeskInstanceOptions instance, PolledTicket ticket, CancellationToken cancellationToken)
    {
        var id = ticket.Id.ToString(CultureInfo.InvariantCulture);
        using var document = await HelpDeskApi.GetJsonAsync(client, $"api/v1/ticket_articles/by_ticket/{id}", cancellationToken);
        var articles = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [];
        var article = articles.FirstOrDefault(a => !a.Flag("internal"));
        var body = article.ValueKind == JsonValueKind.Object ? article.Text("body") : null;
        if (body is not null && (article.Text("content_type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            body = HtmlText.ToPlainText(body);
        }

        var subject = ticket.Data.Text("title") ?? article.Text("subject");
        if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        return new TicketEvent(
            ZammadConnector.Name,
            instance.Name,
            ticket.DeliveryId,
            "poll",
            id,
            ticket.Data.Text("number"),
            subject,
            body,
            ticket.Data.Child("group").Text("name") ?? ticket.Data.Text("group"),
            ticket.Data.Child("priority").Text("name") ?? ticket.Data.Text("priority"),
            ticket.Data.Items("tags").Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList())
        {
            CreatedAt = ticket.Data.Time("created_at"),
        };
    }
}
