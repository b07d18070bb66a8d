using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>A request a <see cref="JsonHttpServer"/> received.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers)
{
    public string Param(string name) => Query.TryGetValue(name, out var value) ? value : string.Empty;

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}

/// <summary>
/// A real HTTP server on a loopback port (<see cref="HttpListener"/>, so test projects need no ASP.NET Core and the otai
/// executable they run keeps its own dependencies) that answers each request with the status and JSON body
/// <c>answer</c> gives, and records every request.
/// </summary>
public sealed class JsonHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedRequest, (int Status, object Body)> _answer;
    private readonly Task _serving;

    public JsonHttpServer(Func<ReceivedRequest, (int Status, object Body)> answer)
    {
        _answer = answer;
        BaseUrl = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        // Close alone: on Unix, Stop then Close releases the port and binds it once more, which fails with "Address
        // already in use" when another test has taken the port in between.
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
                var request = context.Request;
                var received = new ReceivedRequest(
                    request.HttpMethod,
                    request.Url!.AbsolutePath,
                    request.QueryString.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.QueryString[k] ?? string.Empty, StringComparer.Ordinal),
                    request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase));
                Requests.Enqueue(received);
                var (status, body) = _answer(received);
                var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                context.Response.OutputStream.Write(bytes);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The client went away.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
