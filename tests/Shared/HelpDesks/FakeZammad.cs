using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>A ticket the fake Zammad holds: the expanded ticket as search returns it, its articles, and the tags endpoint's answer.</summary>
public sealed record FakeZammadTicket(long Id, object Ticket, object[] Articles, string[]? Tags = null);

/// <summary>
/// A real HTTP server (<see cref="HttpListener"/>, so test projects need no ASP.NET Core and the otai executable they run keeps
/// its own dependencies) answering the Zammad REST calls history import makes, with Zammad's semantics:
/// <c>GET /api/v1/tickets/search</c> pages its tickets by id (<c>limit</c>, <c>page</c> from 1; an empty array past the end),
/// <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>, <c>GET /api/v1/tags?object=Ticket&amp;o_id={id}</c>; a request
/// without <c>Authorization: Token token=</c><see cref="Token"/> gets 401. Records every request.
/// </summary>
public sealed class FakeZammad : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyList<FakeZammadTicket> _tickets;
    private readonly Task _serving;

    private FakeZammad(string token, IReadOnlyList<FakeZammadTicket> tickets)
    {
        Token = token;
        _tickets = tickets.OrderBy(t => t.Id).ToList();
        BaseUrl = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Token { get; }

    public string BaseUrl { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public IEnumerable<Request> Searches => Requests.Where(r => r.Path == "/api/v1/tickets/search");

    public static Task<FakeZammad> StartAsync(string token, params FakeZammadTicket[] tickets) => Task.FromResult(new FakeZammad(token, tickets));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Answer(context);
            }
            catch (HttpListenerException)
            {
                // The client went away.
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var query = request.QueryString.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.QueryString[k] ?? string.Empty, StringComparer.Ordinal);
        var authorization = request.Headers["Authorization"] ?? string.Empty;
        Requests.Enqueue(new Request(request.HttpMethod, path, query, authorization));
        string Param(string name) => query.TryGetValue(name, out var value) ? value : string.Empty;
        if (authorization != "Token token=" + Token)
        {
            Write(context, 401, new { error = "authentication failed" });
        }
        else if (path == "/api/v1/tickets/search")
        {
            var limit = int.Parse(Param("limit"), CultureInfo.InvariantCulture);
            var page = int.Parse(Param("page"), CultureInfo.InvariantCulture);
            var ordered = Param("order_by") == "desc" ? _tickets.Reverse() : _tickets;
            Write(context, 200, ordered.Skip((page - 1) * limit).Take(limit).Select(Expanded).ToArray());
        }
        else if (path.StartsWith("/api/v1/ticket_articles/by_ticket/", StringComparison.Ordinal) && Find(path[(path.LastIndexOf('/') + 1)..]) is { } ticket)
        {
            Write(context, 200, ticket.Articles);
        }
        else if (path == "/api/v1/tags" && Find(Param("o_id")) is { } tagged)
        {
            Write(context, 200, new { tags = tagged.Tags ?? [] });
        }
        else
        {
            Write(context, 404, new { error = "Not found" });
        }
    }

    private FakeZammadTicket? Find(string id) => _tickets.FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == id);

    private static JsonNode Expanded(FakeZammadTicket ticket)
    {
        var node = JsonSerializer.SerializeToNode(ticket.Ticket)!;
        node["id"] = ticket.Id;
        return node;
    }

    private static void Write(HttpListenerContext context, int status, object body)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Authorization)
    {
        public string Param(string name) => Query.TryGetValue(name, out var value) ? value : string.Empty;
    }
}
