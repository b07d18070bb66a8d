using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.History;

/// <summary>
/// Zammad's closed tickets with their first agent reply, for a knowledge collection. Pages
/// <c>GET /api/v1/tickets/search?query=…&amp;sort_by=id&amp;order_by=asc&amp;limit=…&amp;page=…&amp;expand=true</c> (expanded
/// tickets carry <c>group</c> names and <c>close_at</c>; docs.zammad.org api/ticket) until a page brings no ticket it has not
/// seen, and reads each ticket's <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>: the body is the first public
/// customer article (else the first public article), the answer the first public article an agent sent after it.
/// Internal notes never become either. Tags come with the ticket, else from <c>GET /api/v1/tags?object=Ticket&amp;o_id={id}</c>.
/// The search query language is Elasticsearch's, so the Zammad instance needs its search index (as Zammad itself does).
/// </summary>
public sealed class ZammadHistoryReader(HttpClient client, HistoryReadOptions options) : IHelpDeskHistory
{
    public const string DefaultQuery = "state.name:closed";

    public string HelpDesk => ZammadConnector.Name;

    public string Selection => "query " + SearchQuery;

    public int Skipped { get; private set; }

    /// <summary>A client for the Zammad at <paramref name="baseUrl"/> with its API token (<c>Authorization: Token token=…</c>).</summary>
    public static HttpClient CreateClient(Uri baseUrl, string token, TimeSpan timeout)
    {
        var client = new HttpClient { Timeout = timeout };
        ZammadConnector.ConfigureApiClient(client, baseUrl.AbsoluteUri, token);
        return client;
    }

    /// <summary>The search query sent: the given one (else closed tickets), narrowed to <c>close_at</c> on or after the since date.</summary>
    public string SearchQuery
    {
        get
        {
            var query = string.IsNullOrWhiteSpace(options.Query) ? DefaultQuery : options.Query.Trim();
            return options.Since is { } since
                ? $"({query}) AND close_at:>={since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
                : query;
        }
    }

    public async IAsyncEnumerable<ResolvedTicket> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options.Validate();
        var seen = new HashSet<long>();
        var returned = 0;
        for (var page = 1; ; page++)
        {
            var tickets = await SearchAsync(page, cancellationToken);
            var fresh = tickets.Where(t => seen.Add(t.Number("id")!.Value)).ToList();
            if (fresh.Count == 0)
            {
                yield break;
            }

            foreach (var ticket in fresh)
            {
                var resolved = await LoadAsync(ticket, cancellationToken);
                if (resolved is null)
                {
                    Skipped++;
                    continue;
                }

                yield return resolved;
                if (++returned >= options.MaxTickets)
                {
                    yield break;
                }
            }
        }
    }

    private async Task<List<JsonElement>> SearchAsync(int page, CancellationToken cancellationToken)
    {
        var path = $"api/v1/tickets/search?query={Uri.EscapeDataString(SearchQuery)}&sort_by=id&order_by=asc&limit={options.PageSize.ToString(CultureInfo.InvariantCulture)}&page={page.ToString(CultureInfo.InvariantCulture)}&expand=true";
        using var document = await HistoryHttp.GetJsonAsync(client, path, cancellationToken);
        var items = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
            : document.RootElement.Items("tickets");
        return items.Where(t => t.Number("id") is not null).Select(t => t.Clone()).ToList();
    }

    private async Task<ResolvedTicket?> LoadAsync(JsonElement ticket, CancellationToken cancellationToken)
    {
        var resolvedAt = ticket.Time("close_at") ?? ticket.Time("updated_at");
        if (options.Since is { } since && resolvedAt < since)
        {
            return null;
        }

        var id = ticket.Number("id")!.Value.ToString(CultureInfo.InvariantCulture);
        using var document = await HistoryHttp.GetJsonAsync(client, $"api/v1/ticket_articles/by_ticket/{id}", cancellationToken);
        var articles = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object && !a.Flag("internal")).OrderBy(a => a.Number("id") ?? long.MaxValue).ToList()
            : [];
        var question = articles.FindIndex(a => Sender(a, "Customer"));
        if (question < 0 && articles.Count > 0)
        {
            question = 0;
        }

        var body = question < 0 ? null : PlainText(articles[question]);
        var reply = question < 0 ? -1 : articles.FindIndex(question + 1, a => Sender(a, "Agent") && !string.IsNullOrWhiteSpace(PlainText(a)));
        var subject = ticket.Text("title") ?? (question < 0 ? null : articles[question].Text("subject"));
        if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var tags = ticket.ValueKind == JsonValueKind.Object && ticket.TryGetProperty("tags", out var listed) && listed.ValueKind == JsonValueKind.Array
            ? Strings(listed)
            : await TagsAsync(id, cancellationToken);
        return new ResolvedTicket(
            $"{ZammadConnector.Name}/{options.Instance}:{id}",
            ticket.Text("number") ?? id,
            string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(),
            string.IsNullOrWhiteSpace(body) ? null : body,
            reply < 0 ? null : PlainText(articles[reply]),
            ticket.Child("group").Text("name") ?? ticket.Text("group"),
            tags,
            resolvedAt);
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string id, CancellationToken cancellationToken)
    {
        using var document = await HistoryHttp.GetJsonAsync(client, $"api/v1/tags?object=Ticket&o_id={id}", cancellationToken);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? Strings(tags)
            : [];
    }

    private static List<string> Strings(JsonElement array) =>
        array.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString())).Select(t => t.GetString()!.Trim()).ToList();

    /// <summary>The article's sender by name (<c>by_ticket</c> sends <c>sender</c> with the association's name).</summary>
    private static bool Sender(JsonElement article, string name) =>
        string.Equals(article.Text("sender") ?? article.Child("sender").Text("name"), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The article's text: HTML (Zammad's default content type) made plain, quoted earlier messages left out.</summary>
    private static string? PlainText(JsonElement article)
    {
        var body = article.Text("body");
        if (body is null || !(article.Text("content_type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(body) ? null : body.Trim();
        }

        return HistoryText.Reply(body);
    }
}
