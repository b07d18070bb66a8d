using OpenTicketAI.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Models;

[Collection(ApiCollection.Name)]
public sealed class HotReloadTests(ApiFixture api)
{
    [Fact]
    public async Task Reload_swaps_in_a_newly_trained_model()
    {
        var (factory, client, directory) = await StartAsync();
        await using var _ = factory;
        Assert.Equal("Billing", await QueueOfBillingTicketAsync(client));

        ModelFiles.Install(api.Models.ModelTwo, directory, "default");
        var reloaded = await (await client.PostAsync("/models/default/reload", null)).ReadJsonAsync();

        Assert.Equal(ModelFixture.VersionTwo, reloaded.GetProperty("version").GetString());
        Assert.Equal(ModelFixture.VersionOne, reloaded.GetProperty("previousVersion").GetString());
        Assert.Equal(ModelFixture.RenamedBillingQueue, await QueueOfBillingTicketAsync(client));
        var listed = await (await client.GetAsync("/models")).ReadJsonAsync();
        Assert.Equal(ModelFixture.VersionTwo, listed.GetProperty("models")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task Reload_of_a_corrupt_graph_is_refused_and_the_old_model_keeps_serving()
    {
        var (factory, client, directory) = await StartAsync();
        await using var _ = factory;

        await File.WriteAllTextAsync(Path.Combine(directory, "default", "model.onnx"), "this is not an ONNX graph");
        var problem = await (await client.PostAsync("/models/default/reload", null)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("model.onnx", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ModelFixture.VersionOne, problem.GetProperty("servingVersion").GetString());
        await AssertStillServesVersionOneWithErrorAsync(client, "model.onnx");
    }

    [Fact]
    public async Task Reload_of_an_invalid_manifest_is_refused_and_the_old_model_keeps_serving()
    {
        var (factory, client, directory) = await StartAsync();
        await using var _ = factory;

        await File.WriteAllTextAsync(Path.Combine(directory, "default", "model.json"), """{"formatVersion": 1, "name": "broken", "heads": [""");
        var problem = await (await client.PostAsync("/models/default/reload", null)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("model.json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertStillServesVersionOneWithErrorAsync(client, "model.json");

        ModelFiles.Install(api.Models.ModelOne, directory, "default");
        await (await client.PostAsync("/models/default/reload", null)).ReadJsonAsync();
        var listed = await (await client.GetAsync("/models")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("models")[0].GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task A_model_that_never_loaded_is_listed_as_failed_and_answers_503()
    {
        var (factory, client, directory) = await StartAsync();
        await using var _ = factory;
        var broken = Directory.CreateDirectory(Path.Combine(directory, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "model.json"), "{}");

        await (await client.PostAsync("/models/broken/reload", null)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var listed = await (await client.GetAsync("/models/broken")).ReadJsonAsync();
        Assert.Equal("Failed", listed.GetProperty("status").GetString());
        Assert.Contains("model.json", listed.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);
        await (await client.PredictAsync(Tickets.Billing(), "/models/broken/predict")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", (await ready.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_watcher_serves_replaced_new_and_deleted_model_directories()
    {
        var (factory, client, directory) = await StartAsync(watch: true);
        await using var _ = factory;

        ModelFiles.Install(api.Models.ModelTwo, directory, "default");
        ModelFiles.Install(api.Models.ModelOne, directory, "extra");
        await Eventually.Async(
            async () => await VersionOfAsync(client, "default") == ModelFixture.VersionTwo && await VersionOfAsync(client, "extra") == ModelFixture.VersionOne,
            TimeSpan.FromSeconds(15),
            "the watcher to load the replaced and the new model");
        Assert.Equal(ModelFixture.RenamedBillingQueue, await QueueOfBillingTicketAsync(client));

        Directory.Delete(Path.Combine(directory, "extra"), recursive: true);
        await Eventually.Async(
            async () => (await client.GetAsync("/models/extra")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(15),
            "the watcher to stop serving the deleted model");
        await (await client.PredictAsync(Tickets.Billing(), "/models/extra/predict")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_watcher_keeps_the_old_model_when_a_corrupt_copy_lands()
    {
        var (factory, client, directory) = await StartAsync(watch: true);
        await using var _ = factory;

        await File.WriteAllBytesAsync(Path.Combine(directory, "default", "model.onnx"), [1, 2, 3, 4]);
        await Eventually.Async(
            async () => (await (await client.GetAsync("/models/default")).ReadJsonAsync()).GetProperty("lastError").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(15),
            "the watcher to attempt the corrupt model");

        await AssertStillServesVersionOneWithErrorAsync(client, "model.onnx");
    }

    [Fact]
    public async Task Concurrent_predictions_never_fail_during_repeated_swaps()
    {
        var (factory, client, directory) = await StartAsync();
        await using var _ = factory;
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        var swaps = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var predictors = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var own = factory.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var response = await own.PostAsJsonAsync("/predict", Tickets.Billing());
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                // Label and version must come from the same classifier, whichever one served the request.
                var json = JsonDocument.Parse(text).RootElement;
                var version = json.GetProperty("model").GetProperty("version").GetString();
                var queue = json.GetProperty("predictions").GetProperty("queue").GetString();
                var expected = version == ModelFixture.VersionOne ? "Billing" : ModelFixture.RenamedBillingQueue;
                if (queue != expected)
                {
                    failures.Enqueue($"version {version} answered queue {queue}");
                }

                Interlocked.Increment(ref answered);
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            ModelFiles.Install(swaps % 2 == 0 ? api.Models.ModelTwo : api.Models.ModelOne, directory, "default");
            var reload = await client.PostAsync("/models/default/reload", null);
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
            swaps++;
        }

        await Task.WhenAll(predictors);
        Assert.Empty(failures);
        Assert.True(swaps >= 3, $"only {swaps} swaps in {clock.Elapsed}");
        Assert.True(answered > 50, $"only {answered} predictions answered");
    }

    private async Task<(ApiFactory Factory, HttpClient Client, string Directory)> StartAsync(bool watch = false)
    {
        var directory = api.Models.NewModelsDirectory();
        ModelFiles.Install(api.Models.ModelOne, directory, "default");
        var factory = new ApiFactory(directory, new Dictionary<string, string?> { ["OpenTicketAI:WatchModels"] = watch ? "true" : "false" });
        var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        return (factory, client, directory);
    }

    private static async Task<string?> QueueOfBillingTicketAsync(HttpClient client) =>
        (await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync()).GetProperty("predictions").GetProperty("queue").GetString();

    private static async Task<string?> VersionOfAsync(HttpClient client, string model)
    {
        var response = await client.GetAsync($"/models/{model}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var json = await response.ReadJsonAsync();
        return json.GetProperty("manifest").ValueKind == JsonValueKind.Null ? null : json.GetProperty("manifest").GetProperty("version").GetString();
    }

    private static async Task AssertStillServesVersionOneWithErrorAsync(HttpClient client, string errorMentions)
    {
        var prediction = await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        Assert.Equal(ModelFixture.VersionOne, prediction.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("Billing", prediction.GetProperty("predictions").GetProperty("queue").GetString());

        var model = (await (await client.GetAsync("/models")).ReadJsonAsync()).GetProperty("models")[0];
        Assert.Equal("Ready", model.GetProperty("status").GetString());
        Assert.Equal(ModelFixture.VersionOne, model.GetProperty("version").GetString());
        Assert.Contains(errorMentions, model.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var data = (await ready.ReadJsonAsync()).GetProperty("checks")[0].GetProperty("data").GetProperty("default");
        Assert.Contains(errorMentions, data.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }
}
