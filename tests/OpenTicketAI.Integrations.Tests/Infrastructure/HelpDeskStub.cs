using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>A WireMock.Net server standing in for a help desk's REST API, on a port of its own; can be down and come back.</summary>
public sealed class HelpDeskStub : IDisposable
{
    private WireMockServer? _server;
    private int _nextPriority;

    private HelpDeskStub(int port) => Port = port;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>A stub that answers every request with <paramref name="status"/>.</summary>
    public static HelpDeskStub Start(int status = 200)
    {
        var stub = new HelpDeskStub(FreePort());
        stub.Up(status);
        return stub;
    }

    /// <summary>A help desk that is not running yet: connections are refused until <see cref="Up"/>.</summary>
    public static HelpDeskStub NotStarted() => new(FreePort());

    public void Up(int status = 200)
    {
        _server ??= WireMockServer.Start(Port);
        Answer(status);
    }

    /// <summary>From now on every request gets <paramref name="status"/>.</summary>
    public void Answer(int status)
    {
        var server = _server ?? throw new InvalidOperationException("The stub is not running.");
        server.ResetMappings();
        server.Given(Request.Create().UsingAnyMethod()).AtPriority(int.MaxValue).RespondWith(Response.Create().WithStatusCode(status).WithBody(status < 300 ? "{}" : "{\"error\":\"down\"}"));
    }

    /// <summary>
    /// From now on <paramref name="method"/> requests to <paramref name="path"/> (with the query parameters given, if any) get
    /// <paramref name="status"/> and <paramref name="json"/>; other requests keep the stub's general answer.
    /// </summary>
    public void Respond(string method, string path, int status, string json, params (string Name, string Value)[] query)
    {
        var server = _server ?? throw new InvalidOperationException("The stub is not running.");
        var request = Request.Create().WithPath(path).UsingMethod(method);
        foreach (var (name, value) in query)
        {
            request = request.WithParam(name, value);
        }

        // Lower values win in WireMock.Net: a later answer for the same request replaces an earlier one.
        server.Given(request).AtPriority(--_nextPriority).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(json));
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<Received> Requests => (_server?.LogEntries ?? [])
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => Received.From(e))
        .ToList();

    public IReadOnlyList<Received> Successful => Requests.Where(r => r.Status is >= 200 and < 300).ToList();

    public void Dispose() => _server?.Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? Body, int Status)
    {
        public static Received From(ILogEntry entry) => new(
            entry.RequestMessage.Method,
            entry.RequestMessage.AbsolutePath,
            entry.RequestMessage.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value.ToArray()), StringComparer.OrdinalIgnoreCase) ?? [],
            entry.RequestMessage.Body,
            entry.ResponseMessage.StatusCode is int code ? code : Convert.ToInt32(entry.ResponseMessage.StatusCode, System.Globalization.CultureInfo.InvariantCulture));

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;

        /// <summary>The body re-serialized compactly, so assertions do not depend on whitespace.</summary>
        public string Json => Body is null ? string.Empty : JsonSerializer.Serialize(JsonDocument.Parse(Body).RootElement, Relaxed);

        private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
