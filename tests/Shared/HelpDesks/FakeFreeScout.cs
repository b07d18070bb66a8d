using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>A conversation the fake FreeScout holds: the conversation object without its threads, and its threads newest first.</summary>
public sealed record FakeFreeScoutConversation(long Id, string Status, object Conversation, object[] Threads);

/// <summary>
/// A real HTTP server answering the FreeScout API &amp; Webhooks module's calls history import makes: <c>GET /api/conversations</c>
/// filtered by <c>status</c> (and <c>updatedSince</c>), paged by <c>page</c>/<c>pageSize</c> in id order, HAL-shaped (<c>_embedded.conversations</c>,
/// <c>page.totalPages</c>), threads embedded only with <c>embed=threads</c>; <c>GET /api/mailboxes</c>. A request without
/// <c>X-FreeScout-API-Key: </c><see cref="ApiKey"/> gets 401.
/// </summary>
public sealed class FakeFreeScout : IAsyncDisposable
{
    private readonly JsonHttpServer _server;
    private readonly IReadOnlyList<FakeFreeScoutConversation> _conversations;
    private readonly IReadOnlyDictionary<int, string> _mailboxes;

    private FakeFreeScout(string apiKey, IReadOnlyDictionary<int, string> mailboxes, IReadOnlyList<FakeFreeScoutConversation> conversations)
    {
        ApiKey = apiKey;
        _mailboxes = mailboxes;
        _conversations = conversations.OrderBy(c => c.Id).ToList();
        _server = new JsonHttpServer(Answer);
    }

    public string ApiKey { get; }

    public string BaseUrl => _server.BaseUrl;

    public IReadOnlyCollection<ReceivedRequest> Requests => _server.Requests;

    public IEnumerable<ReceivedRequest> Lists => Requests.Where(r => r.Path == "/api/conversations");

    public static Task<FakeFreeScout> StartAsync(string apiKey, IReadOnlyDictionary<int, string> mailboxes, params FakeFreeScoutConversation[] conversations) =>
        Task.FromResult(new FakeFreeScout(apiKey, mailboxes, conversations));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private (int, object) Answer(ReceivedRequest request)
    {
        if (request.Header("X-FreeScout-API-Key") != ApiKey)
        {
            return (401, new { message = "Unauthorized" });
        }

        if (request.Path == "/api/conversations")
        {
            var size = int.Parse(request.Param("pageSize"), CultureInfo.InvariantCulture);
            var page = int.Parse(request.Param("page"), CultureInfo.InvariantCulture);
            var statuses = request.Param("status").Split(',');
            var since = request.Param("updatedSince") is { Length: > 0 } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
            var listed = _conversations.Where(c => statuses.Contains(c.Status) && UpdatedAt(c) >= since).ToList();
            var embedThreads = request.Param("embed").Split(',').Contains("threads");
            return (200, new
            {
                _embedded = new { conversations = listed.Skip((page - 1) * size).Take(size).Select(c => Node(c, embedThreads)).ToArray() },
                page = new { size, totalElements = listed.Count, totalPages = (listed.Count + size - 1) / size, number = page },
            });
        }

        if (request.Path == "/api/mailboxes")
        {
            return (200, new { _embedded = new { mailboxes = _mailboxes.Select(m => new { id = m.Key, name = m.Value }).ToArray() } });
        }

        return (404, new { message = "Not found" });
    }

    /// <summary>What <c>updatedSince</c> compares: <c>updatedAt</c>, else <c>closedAt</c> (every real conversation has an <c>updatedAt</c>).</summary>
    private static DateTimeOffset UpdatedAt(FakeFreeScoutConversation conversation)
    {
        var node = JsonSerializer.SerializeToNode(conversation.Conversation)!;
        var text = node["updatedAt"]?.GetValue<string>() ?? node["closedAt"]?.GetValue<string>();
        return text is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    private static JsonNode Node(FakeFreeScoutConversation conversation, bool embedThreads)
    {
        var node = JsonSerializer.SerializeToNode(conversation.Conversation)!;
        node["id"] = conversation.Id;
        node["status"] = conversation.Status;
        var embedded = node["_embedded"] as JsonObject ?? [];
        node["_embedded"] = embedded;
        if (embedThreads)
        {
            embedded["threads"] = JsonSerializer.SerializeToNode(conversation.Threads);
        }

        return node;
    }
}
