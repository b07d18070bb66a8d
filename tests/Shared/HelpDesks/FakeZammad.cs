using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>A ticket the fake Zammad holds: the expanded ticket as search returns it, its articles, and the tags endpoint's answer.</summary>
public sealed record FakeZammadTicket(long Id, object Ticket, object[] Articles, string[]? Tags = null);

/// <summary>
/// A real in-process Kestrel server answering the Zammad REST calls history import makes, with Zammad's semantics:
/// <c>GET /api/v1/tickets/search</c> pages its tickets by id (<c>limit</c>, <c>page</c> from 1; an empty array past the end),
/// <c>GET /api/v1/ticket_articles/by_ticket/{id}</c>, <c>GET /api/v1/tags?object=Ticket&amp;o_id={id}</c>; a request
/// without <c>Authorization: Token token=</c><see cref="Token"/> gets 401. Records every request.
/// </summary>
public sealed class FakeZammad : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<FakeZammadTicket> _tickets;

    private FakeZammad(WebApplication app, string token, IReadOnlyList<FakeZammadTicket> tickets)
    {
        _app = app;
        Token = token;
        _tickets = tickets.OrderBy(t => t.Id).ToList();
    }

    public string Token { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public string BaseUrl => _app.Urls.First().TrimEnd('/') + "/";

    public IEnumerable<Request> Searches => Requests.Where(r => r.Path == "/api/v1/tickets/search");

    public static async Task<FakeZammad> StartAsync(string token, params FakeZammadTicket[] tickets)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var zammad = new FakeZammad(app, token, tickets);
        app.Run(zammad.AnswerAsync);
        await app.StartAsync();
        return zammad;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new Request(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.Headers.Authorization.ToString()));
        if (request.Headers.Authorization.ToString() != "Token token=" + Token)
        {
            await WriteAsync(context, StatusCodes.Status401Unauthorized, new { error = "authentication failed" });
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        if (path == "/api/v1/tickets/search")
        {
            var limit = int.Parse(request.Query["limit"].ToString(), CultureInfo.InvariantCulture);
            var page = int.Parse(request.Query["page"].ToString(), CultureInfo.InvariantCulture);
            var ordered = request.Query["order_by"] == "desc" ? _tickets.Reverse() : _tickets;
            await WriteAsync(context, StatusCodes.Status200OK, ordered.Skip((page - 1) * limit).Take(limit).Select(Expanded).ToArray());
        }
        else if (path.StartsWith("/api/v1/ticket_articles/by_ticket/", StringComparison.Ordinal)
            && _tickets.FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == path[(path.LastIndexOf('/') + 1)..]) is { } ticket)
        {
            await WriteAsync(context, StatusCodes.Status200OK, ticket.Articles);
        }
        else if (path == "/api/v1/tags" && _tickets.FirstOrDefault(t => t.Id.ToString(CultureInfo.InvariantCulture) == request.Query["o_id"]) is { } tagged)
        {
            await WriteAsync(context, StatusCodes.Status200OK, new { tags = tagged.Tags ?? [] });
        }
        else
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, new { error = "Not found" });
        }
    }

    private static JsonNode Expanded(FakeZammadTicket ticket)
    {
        var node = JsonSerializer.SerializeToNode(ticket.Ticket)!;
        node["id"] = ticket.Id;
        return node;
    }

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Authorization)
    {
        public string Param(string name) => Query.TryGetValue(name, out var value) ? value : string.Empty;
    }
}
