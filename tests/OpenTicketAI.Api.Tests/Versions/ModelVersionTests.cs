using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Versions;

[Collection(ApiCollection.Name)]
public sealed class ModelVersionTests(ApiFixture api)
{
    [Fact]
    public async Task Versions_lists_every_version_with_metrics_and_marks_the_active_one()
    {
        var (factory, client, root) = await StartVersionedAsync();
        await using var _ = factory;

        var list = await (await client.GetAsync("/models/default/versions")).ReadJsonAsync();

        Assert.True(list.GetProperty("versioned").GetBoolean());
        Assert.Equal(ModelFixture.VersionOne, list.GetProperty("active").GetString());
        var versions = list.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!);
        Assert.Equal([ModelFixture.VersionOne, ModelFixture.VersionTwo], versions.Keys.Order(StringComparer.Ordinal));
        Assert.True(versions[ModelFixture.VersionOne].GetProperty("isActive").GetBoolean());
        Assert.False(versions[ModelFixture.VersionTwo].GetProperty("isActive").GetBoolean());
        var queue = versions[ModelFixture.VersionTwo].GetProperty("metrics").GetProperty("queue");
        Assert.InRange(queue.GetProperty("accuracy").GetDouble(), 0.5, 1.0);
        Assert.True(queue.GetProperty("rows").GetInt32() > 0);
        Assert.True(Directory.Exists(Path.Combine(root, ModelFixture.VersionTwo)));
    }

    [Fact]
    public async Task A_flat_model_directory_is_listed_as_its_single_active_version()
    {
        var list = await (await api.Client.GetAsync("/models/default/versions")).ReadJsonAsync();

        Assert.False(list.GetProperty("versioned").GetBoolean());
        var only = Assert.Single(list.GetProperty("versions").EnumerateArray());
        Assert.Equal(ModelFixture.VersionOne, only.GetProperty("version").GetString());
        Assert.True(only.GetProperty("isActive").GetBoolean());
        await (await api.Client.PostAsync("/models/default/rollback", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Promote_then_rollback_switch_what_predict_serves_with_zero_failed_requests()
    {
        var (factory, client, root) = await StartVersionedAsync();
        await using var _ = factory;
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        var predictors = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var own = factory.CreateClient();
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                var response = await own.PostAsJsonAsync("/predict", Tickets.Billing());
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                var json = JsonDocument.Parse(text).RootElement;
                var version = json.GetProperty("model").GetProperty("version").GetString()!;
                var queue = json.GetProperty("predictions").GetProperty("queue").GetString();
                if (queue != (version == ModelFixture.VersionOne ? "Billing" : ModelFixture.RenamedBillingQueue))
                {
                    failures.Enqueue($"version {version} answered queue {queue}");
                }

                seen.AddOrUpdate(version, 1, (_, n) => n + 1);
            }
        })).ToList();

        try
        {
            for (var round = 0; round < 3; round++)
            {
                var promoted = await (await client.PostAsync($"/models/default/versions/{ModelFixture.VersionTwo}/promote", null)).ReadJsonAsync();
                Assert.Equal(ModelFixture.VersionTwo, promoted.GetProperty("servingVersion").GetString());
                Assert.Equal(ModelFixture.VersionOne, promoted.GetProperty("previous").GetString());
                Assert.Equal(ModelFixture.VersionTwo, await ServedVersionAsync(client));
                Assert.Equal(ModelFixture.VersionTwo, ReadPointer(root).GetProperty("active").GetString());

                var rolledBack = await (await client.PostAsync("/models/default/rollback", null)).ReadJsonAsync();
                Assert.Equal(ModelFixture.VersionOne, rolledBack.GetProperty("servingVersion").GetString());
                Assert.Equal(ModelFixture.VersionTwo, rolledBack.GetProperty("previous").GetString());
                Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(predictors);
        }

        Assert.Empty(failures);
        Assert.True(seen.GetValueOrDefault(ModelFixture.VersionOne) > 0 && seen.GetValueOrDefault(ModelFixture.VersionTwo) > 0, $"predictions saw {string.Join(", ", seen)}");
        var list = await (await client.GetAsync("/models/default/versions")).ReadJsonAsync();
        Assert.Equal(ModelFixture.VersionOne, list.GetProperty("active").GetString());
        Assert.Equal(ModelFixture.VersionTwo, list.GetProperty("previous").GetString());
    }

    [Fact]
    public async Task Promoting_a_corrupt_version_is_refused_and_the_active_version_keeps_serving()
    {
        var (factory, client, root) = await StartVersionedAsync();
        await using var _ = factory;
        var broken = Path.Combine(root, "3.0.0");
        Directory.CreateDirectory(broken);
        File.Copy(Path.Combine(api.Models.ModelTwo, "model.json"), Path.Combine(broken, "model.json"));
        await File.WriteAllTextAsync(Path.Combine(broken, "model.onnx"), "not an ONNX graph");
        var pointerBefore = await File.ReadAllTextAsync(Path.Combine(root, "active.json"));

        var problem = await (await client.PostAsync("/models/default/versions/3.0.0/promote", null)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("model.onnx", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ModelFixture.VersionOne, problem.GetProperty("servingVersion").GetString());
        Assert.Equal(pointerBefore, await File.ReadAllTextAsync(Path.Combine(root, "active.json")));
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
        var list = await (await client.GetAsync("/models/default/versions")).ReadJsonAsync();
        Assert.Equal(ModelFixture.VersionOne, list.GetProperty("active").GetString());
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("a%2Fb")]
    [InlineData("..%2F..%2Fetc")]
    public async Task Promote_rejects_version_names_that_could_leave_the_model_directory(string version)
    {
        var (factory, client, _) = await StartVersionedAsync();
        await using var __ = factory;

        var response = await client.PostAsync($"/models/default/versions/{version}/promote", null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("version"));
        Assert.Equal(ModelFixture.VersionOne, await ServedVersionAsync(client));
    }

    [Fact]
    public async Task Unknown_models_and_versions_are_404_and_rollback_without_a_previous_version_is_409()
    {
        var (factory, client, _) = await StartVersionedAsync();
        await using var __ = factory;

        await (await client.GetAsync("/models/nope/versions")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/models/nope/rollback", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await client.PostAsync("/models/default/versions/9.9.9/promote", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("9.9.9", missing.GetProperty("version").GetString());
        await (await client.PostAsync("/models/default/rollback", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var unchanged = await (await client.PostAsync($"/models/default/versions/{ModelFixture.VersionOne}/promote", null)).ReadJsonAsync();
        Assert.False(unchanged.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task The_watcher_follows_a_hand_edited_version_pointer()
    {
        var (factory, client, root) = await StartVersionedAsync(watch: true);
        await using var _ = factory;

        var staging = Path.Combine(root, ".active.json.tmp");
        await File.WriteAllTextAsync(staging, $$"""{"active": "{{ModelFixture.VersionTwo}}", "previous": "{{ModelFixture.VersionOne}}", "changedAt": "2026-01-01T00:00:00Z"}""");
        File.Move(staging, Path.Combine(root, "active.json"), overwrite: true);

        await OpenTicketAI.Testing.Eventually.Async(
            async () => await ServedVersionAsync(client) == ModelFixture.VersionTwo,
            TimeSpan.FromSeconds(15),
            "the watcher to serve the version the pointer names");
    }

    [Fact]
    public async Task A_promotion_on_one_replica_is_served_by_every_replica_sharing_the_models_volume_within_seconds()
    {
        var (writer, client, _) = await StartVersionedAsync();
        await using var _ = writer;
        // One replica that gets file events, one on a volume that delivers none (NFS) and re-scans instead.
        await using var watching = new ApiFactory(writer.ModelsPath, new Dictionary<string, string?> { ["OpenTicketAI:WatchModels"] = "true" });
        await using var rescanning = new ApiFactory(writer.ModelsPath, new Dictionary<string, string?>
        {
            ["OpenTicketAI:WatchModels"] = "false",
            ["OpenTicketAI:ModelsRescanInterval"] = "00:00:00.500",
        });
        var replicas = new[] { watching.CreateClient(), rescanning.CreateClient() };
        await watching.WaitUntilReadyAsync();
        await rescanning.WaitUntilReadyAsync();
        Assert.All(await Task.WhenAll(replicas.Select(ServedVersionAsync)), v => Assert.Equal(ModelFixture.VersionOne, v));

        (await client.PostAsync($"/models/default/versions/{ModelFixture.VersionTwo}/promote", null)).EnsureSuccessStatusCode();

        foreach (var replica in replicas)
        {
            await OpenTicketAI.Testing.Eventually.Async(async () => await ServedVersionAsync(replica) == ModelFixture.VersionTwo, TimeSpan.FromSeconds(10), "another replica to serve the promoted version");
        }
    }

    /// <summary>models/default/1.0.0 (active) and models/default/2.0.0 beside it.</summary>
    private async Task<(ApiFactory Factory, HttpClient Client, string Root)> StartVersionedAsync(bool watch = false)
    {
        var directory = api.Models.NewModelsDirectory();
        var root = Directory.CreateDirectory(Path.Combine(directory, "default")).FullName;
        ModelFiles.Install(api.Models.ModelOne, root, ModelFixture.VersionOne);
        ModelFiles.Install(api.Models.ModelTwo, root, ModelFixture.VersionTwo);
        await File.WriteAllTextAsync(Path.Combine(root, "active.json"), $$"""{"active": "{{ModelFixture.VersionOne}}", "changedAt": "2026-01-01T00:00:00Z"}""");
        var factory = new ApiFactory(directory, new Dictionary<string, string?> { ["OpenTicketAI:WatchModels"] = watch ? "true" : "false" });
        var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        return (factory, client, root);
    }

    private static JsonElement ReadPointer(string root) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "active.json"))).RootElement.Clone();

    private static async Task<string?> ServedVersionAsync(HttpClient client) =>
        (await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync()).GetProperty("model").GetProperty("version").GetString();
}
