using OpenTicketAI.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// A real generic host with the integrations and the feedback store (SQLite, <c>data/feedback.db</c> under the directory)
/// registered as the service registers them, over a data directory the test owns, with millisecond backoff so retry tests stay fast. Dispose stops it; a new one over the same directory is a restart.
/// </summary>
public sealed class IntegrationHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IntegrationHost(IHost host) => _host = host;

    public static Dictionary<string, string?> FastOutbox(string dataDirectory) => new()
    {
        ["Integrations:DataDirectory"] = dataDirectory,
        ["Integrations:Outbox:InitialDelay"] = "00:00:00.020",
        ["Integrations:Outbox:MaxDelay"] = "00:00:00.150",
        ["Integrations:Outbox:PollInterval"] = "00:00:00.050",
        ["Integrations:Outbox:RequestTimeout"] = "00:00:30",
        ["Integrations:Outbox:MaxAttempts"] = "4",
    };

    /// <summary>Builds and starts the host; start-up validation errors surface as <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.</summary>
    public static async Task<IntegrationHost> StartAsync(
        ITicketClassifierProvider classifier, string dataDirectory, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = dataDirectory });
        var values = FastOutbox(dataDirectory);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging();
        builder.Services.AddOpenTicketAiIntegrations(builder.Configuration, dataDirectory);
        builder.Services.AddFeedbackStore(builder.Configuration);
        builder.Services.AddSingleton(classifier);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new IntegrationHost(host);
    }

    public IServiceProvider Services => _host.Services;

    public OutboxStore Outbox => Services.GetRequiredService<OutboxStore>();

    public DeliveryLog Deliveries => Services.GetRequiredService<DeliveryLog>();

    public IFeedbackStore Feedback => Services.GetRequiredService<IFeedbackStore>();

    public Task<ProcessingResult> PostAsync(string helpDesk, string instance, byte[] body, params (string Name, string Value)[] headers) =>
        Services.GetRequiredService<TicketEventProcessor>().HandleWebhookAsync(
            helpDesk,
            instance,
            new InboundRequest(body, headers.Select(h => KeyValuePair.Create(h.Name, h.Value))),
            CancellationToken.None);

    /// <summary>Waits until no write-back is pending.</summary>
    public Task DrainedAsync(TimeSpan? timeout = null) =>
        Eventually.Async(async () => (await Outbox.CountAsync(CancellationToken.None)).Pending == 0, timeout ?? TimeSpan.FromSeconds(10), "the outbox to drain");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
