using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>A ticket the fake Zammad holds: the expanded ticket as search returns it, its articles, and the tags endpoint's answer.</summary>
public sealed record FakeZammadTicket(long Id, object Ticket, object[] Articles, string[]? Tags = null);

/// <summary>
/// A real HTTP server answering the Zammad REST calls history import makes, with Zammad's semantics:
/// <c>GET /api/v1/tickets/search</c> pages its tickets by id (<c>limit</c>, <c>page</c> from 1; an empty array past the end),
/// <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>, <c>GET /api/v1/tags?object=Ticket&amp;o_id={id}</c>; a request
/// without <c>Authorization: Token token=</c><see cref="Token"/> gets 401.
/// </summary>
public sealed class FakeZammad : IAsyncDisposable
{
    private readonly JsonHttpServer _server;
    private readonly IReadOnlyList<FakeZammadTicket> _tickets;
    private readonly Dictionary<string, object> _documents = new(StringComparer.Ordinal);

    private FakeZammad(string token, IReadOnlyList<FakeZammadTicket> tickets)
    {
        Token = token;
        _tickets = tickets.OrderBy(t => t.Id).ToList();
        _server = new JsonHttpServer(Answer);
    }

    public string Token { get; }

    public string BaseUrl => _server.BaseUrl;

    public IReadOnlyCollection<ReceivedRequest> Requests => _server.Requests;

    public IEnumerable<ReceivedRequest> Searches => Requests.Where(r => r.Path == "/api/v1/tickets/search");

    public static Task<FakeZammad> StartAsync(string token, params FakeZammadTicket[] tickets) => Task.FromResult(new FakeZammad(token, tickets));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Answers GETs of <paramref name="path"/> (any query) with <paramref name="document"/>, e.g. the knowledge-base endpoints.</summary>
    public void Serve(string path, object document) => _documents[path] = document;

    private (int, object) Answer(ReceivedRequest request)
    {
        var path = request.Path;
        if (request.Header("Authorization") != "Token token=" + Token)
        {
            return (401, new { error = "authentication failed" });
        }

        if (path == "/api/v1/tickets/search")
        {
            var limit = int.Parse(request.Param("limit"), CultureInfo.InvariantCulture);
            var page = int.Parse(request.Param("page"), CultureInfo.InvariantCulture);
            var ordered = request.Param("order_by") == "desc" ? _tickets.Reverse() : _tickets;
            return (200, ordered.Skip((page - 1) * limit).Take(limit).Select(Expanded).ToArray());
        }

        if (path.StartsWith("/api/v1/ticket_articles/by_ticket/", StringComparison.Ordinal) && Find(path[(path.LastIndexOf('/') + 1)..]) is { } ticket)
        {
            return (200, ticket.Articles);
        }

        if (path == "/api/v1/tags" && Find(request.Param("o_id")) is { } tagged)
        {
            return (200, new { tags = tagged.Tags ?? [] });
        }

        return _documents.TryGetValue(path, out var document) ? (200, document) : (404, new { error = "Not found" });
    }

    private FakeZammadTicket? Find(string id) => _tickets.FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == id);

    private static JsonNode Expanded(FakeZammadTicket ticket)
    {
        var node = JsonSerializer.SerializeToNode(ticket.Ticket)!;
        node["id"] = ticket.Id;
        return node;
    }
}
