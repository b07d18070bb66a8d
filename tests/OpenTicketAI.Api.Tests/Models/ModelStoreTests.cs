using System.Collections.Concurrent;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Api.Tests.Models;

[Collection(ApiCollection.Name)]
public sealed class ModelStoreTests(ApiFixture api)
{
    [Fact]
    public async Task A_lease_keeps_the_replaced_classifier_alive_until_the_last_request_ends()
    {
        var directory = api.Models.NewModelsDirectory();
        ModelFiles.Install(api.Models.ModelOne, directory, "default");
        var logger = new ListLogger();
        using var store = CreateStore(directory, logger);
        await store.SyncAsync(CancellationToken.None);

        var inFlight = store.Acquire("default").Lease!;
        ModelFiles.Install(api.Models.ModelTwo, directory, "default");
        var reload = await store.ReloadAsync("default", CancellationToken.None);

        Assert.Equal(ModelReloadOutcome.Loaded, reload.Outcome);
        Assert.DoesNotContain(logger.Messages, m => m.StartsWith("Disposed", StringComparison.Ordinal));
        Assert.Equal(ModelFixture.VersionOne, inFlight.Classifier.Manifest.Version);
        Assert.Equal("Billing", inFlight.Classifier.Predict(new TicketText("Invoice charged twice", "payment receipt")).Heads["queue"].Labels[0]);
        using (var next = store.Acquire("default").Lease!)
        {
            Assert.Equal(ModelFixture.VersionTwo, next.Classifier.Manifest.Version);
        }

        inFlight.Dispose();
        inFlight.Dispose();

        Assert.Single(logger.Messages, m => m == $"Disposed model default version {ModelFixture.VersionOne}: no request uses it any more");
    }

    [Fact]
    public async Task Only_directories_with_a_valid_name_and_a_manifest_are_served()
    {
        var directory = api.Models.NewModelsDirectory();
        ModelFiles.Install(api.Models.ModelOne, directory, "default");
        ModelFiles.Install(api.Models.ModelOne, directory, "v2.1_beta-model");
        ModelFiles.Install(api.Models.ModelOne, directory, ".default.writing-1234");
        Directory.CreateDirectory(Path.Combine(directory, "empty"));
        using var store = CreateStore(directory, new ListLogger());

        await store.SyncAsync(CancellationToken.None);

        Assert.Equal(["default", "v2.1_beta-model"], store.GetStatuses().Select(s => s.Name));
        Assert.Equal(ModelLookupResult.NotFound, store.Acquire(".default.writing-1234").Result);
    }

    private static ModelStore CreateStore(string modelsPath, ILogger<ModelStore> logger) => new(
        Options.Create(new OpenTicketAiOptions { ModelsPath = modelsPath }),
        new TestEnvironment(),
        TimeProvider.System,
        new EncoderCache(),
        logger);

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "OpenTicketAI.Api.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private sealed class ListLogger : ILogger<ModelStore>
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
