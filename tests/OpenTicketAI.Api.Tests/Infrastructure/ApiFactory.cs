using OpenTicketAI.Testing;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>The real host over a models directory, with test settings layered over appsettings.</summary>
public sealed class ApiFactory(
    string modelsPath,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    private readonly TempDirectory _feedbackData = new();

    public string ModelsPath { get; } = modelsPath;

    /// <summary>The feedback store's SQLite file: a fresh one per factory unless the settings name <c>Feedback:ConnectionString</c>.</summary>
    public string FeedbackDatabase => _feedbackData.Combine("feedback.db");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _feedbackData.Dispose();
    }

    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var client = CreateClient();
        await Eventually.Async(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            timeout ?? TimeSpan.FromSeconds(20),
            "the default model to become ready");
    }

    /// <summary>Serves on a real Kestrel port on the loopback interface (for a browser); returns its address. <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> then talks to it over TCP.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenTicketAI:ModelsPath"] = ModelsPath,
            ["OpenTicketAI:WatchModels"] = "false",
            ["OpenTicketAI:ReloadDebounce"] = "00:00:00.200",
            // Tests send many requests from one in-memory client; the tests of the limits turn it back on.
            ["Limits:RateLimit:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
            ["Feedback:ConnectionString"] = $"Data Source={FeedbackDatabase}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(values));
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }
}
