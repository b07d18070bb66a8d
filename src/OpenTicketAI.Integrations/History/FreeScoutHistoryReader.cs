using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.FreeScout;

namespace OpenTicketAI.Integrations.History;

/// <summary>
/// FreeScout's closed conversations with their first agent reply, for a knowledge collection (API &amp; Webhooks module,
/// header <c>X-FreeScout-API-Key</c>). Pages <c>GET /api/conversations?status=closed&amp;embed=threads&amp;sortField=createdAt&amp;
/// sortOrder=asc&amp;page=…&amp;pageSize=…</c> (<c>_embedded.conversations</c>, <c>page.totalPages</c>) until the last page or a
/// page without a conversation it has not seen. Threads come newest first: the body is the oldest published
/// <c>customer</c> thread (else the oldest <c>message</c>), the answer the oldest published <c>message</c> (an agent's
/// reply) after it; notes never count. The queue is the mailbox's name from <c>GET /api/mailboxes</c> (else its id), the
/// date <c>closedAt</c> (else <c>updatedAt</c>); <see cref="HistoryReadOptions.Since"/> is sent as <c>updatedSince</c> and
/// applied to that date here.
/// </summary>
public sealed class FreeScoutHistoryReader(HttpClient client, HistoryReadOptions options) : IHelpDeskHistory
{
    public const string DefaultStatus = "closed";

    private Dictionary<string, string>? _mailboxes;

    public string HelpDesk => FreeScoutConnector.Name;

    public string Selection => "status " + Status + (options.Since is { } since ? ", closed since " + since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty);

    public int Skipped { get; private set; }

    /// <summary>
    /// With <see cref="HistoryReadOptions.Since"/>, the list's <c>updatedSince</c> filter: a conversation closed since then was
    /// updated since then, so the help desk leaves out only conversations this reader would skip anyway.
    /// </summary>
    private string UpdatedSince => options.Since is { } since
        ? "&updatedSince=" + Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
        : string.Empty;

    /// <summary>The conversation status listed: <see cref="HistoryReadOptions.Query"/> (e.g. <c>closed,active</c>), else closed.</summary>
    private string Status => string.IsNullOrWhiteSpace(options.Query) ? DefaultStatus : options.Query.Trim();

    /// <summary>A client for the FreeScout at <paramref name="baseUrl"/> with its API key.</summary>
    public static HttpClient CreateClient(Uri baseUrl, string apiKey, TimeSpan timeout)
    {
        var client = new HttpClient { Timeout = timeout };
        FreeScoutConnector.ConfigureApiClient(client, baseUrl.AbsoluteUri, apiKey);
        return client;
    }

    public async IAsyncEnumerable<ResolvedTicket> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options.Validate();
        var seen = new HashSet<long>();
        var returned = 0;
        for (var page = 1; ; page++)
        {
            var path = $"api/conversations?status={Uri.EscapeDataString(Status)}&embed=threads&sortField=createdAt&sortOrder=asc&page={page.ToString(CultureInfo.InvariantCulture)}&pageSize={options.PageSize.ToString(CultureInfo.InvariantCulture)}{UpdatedSince}";
            List<JsonElement> conversations;
            int? lastPage;
            using (var document = await HistoryHttp.GetJsonAsync(client, path, cancellationToken))
            {
                conversations = document.RootElement.Child("_embedded").Items("conversations")
                    .Where(c => c.Number("id") is { } id && seen.Add(id))
                    .Select(c => c.Clone())
                    .ToList();
                lastPage = (int?)document.RootElement.Child("page").Number("totalPages");
            }

            foreach (var conversation in conversations)
            {
                var resolved = await ToTicketAsync(conversation, cancellationToken);
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

            if (conversations.Count == 0 || page >= lastPage)
            {
                yield break;
            }
        }
    }

    private async Task<ResolvedTicket?> ToTicketAsync(JsonElement conversation, CancellationToken cancellationToken)
    {
        var resolvedAt = conversation.Time("closedAt") ?? conversation.Time("updatedAt");
        if (options.Since is { } since && resolvedAt < since)
        {
            return null;
        }

        var embedded = conversation.Child("_embedded");
        var threads = embedded.Items("threads")
            .Where(t => t.ValueKind == JsonValueKind.Object && (t.Text("state") ?? "published") == "published")
            .OrderBy(t => t.Number("id") ?? long.MaxValue)
            .ToList();
        var question = threads.FindIndex(t => t.Text("type") == "customer");
        if (question < 0)
        {
            question = threads.FindIndex(t => t.Text("type") == "message");
        }

        var body = question < 0 ? null : PlainText(threads[question]);
        var reply = question < 0 ? -1 : threads.FindIndex(question + 1, t => t.Text("type") == "message" && PlainText(t) is not null);
        var subject = conversation.Text("subject");
        if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var id = conversation.Number("id")!.Value.ToString(CultureInfo.InvariantCulture);
        var tags = embedded.Items("tags").Concat(conversation.Items("tags"))
            .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : t.Text("name"))
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Select(t => t!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new ResolvedTicket(
            $"{FreeScoutConnector.Name}/{options.Instance}:{id}",
            conversation.Text("number") ?? id,
            string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(),
            body,
            reply < 0 ? null : PlainText(threads[reply]),
            await MailboxAsync(conversation.Text("mailboxId"), cancellationToken),
            tags,
            resolvedAt);
    }

    /// <summary>The mailbox's name, read once for all mailboxes; the id when the list does not name it.</summary>
    private async Task<string?> MailboxAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return null;
        }

        if (_mailboxes is null)
        {
            using var document = await HistoryHttp.GetJsonAsync(client, "api/mailboxes?pageSize=100", cancellationToken);
            _mailboxes = document.RootElement.Child("_embedded").Items("mailboxes")
                .Where(m => m.Text("id") is not null && !string.IsNullOrWhiteSpace(m.Text("name")))
                .ToDictionary(m => m.Text("id")!, m => m.Text("name")!.Trim(), StringComparer.Ordinal);
        }

        return _mailboxes.GetValueOrDefault(id, id);
    }

    private static string? PlainText(JsonElement thread) =>
        thread.Text("body") is { } body && !string.IsNullOrWhiteSpace(body) ? HistoryText.Reply(body) : null;
}
