using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenTicketAI.Api.Tests.Integrations;

/// <summary>A real in-process Kestrel server standing in for a help desk: records every request, answers <see cref="Status"/>.</summary>
public sealed class KestrelHelpDesk : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHelpDesk(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int Status { get; set; } = StatusCodes.Status200OK;

    public string BaseUrl => _app.Urls.First().TrimEnd('/') + "/";

    public static async Task<KestrelHelpDesk> StartAsync(int status = StatusCodes.Status200OK)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new KestrelHelpDesk(app) { Status = status };
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var status = stub.Status;
            stub.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body, status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{}", context.RequestAborted);
        });
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
    }
}
