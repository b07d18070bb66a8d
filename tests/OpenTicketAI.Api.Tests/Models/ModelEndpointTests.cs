using System.Net;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Models;

[Collection(ApiCollection.Name)]
public sealed class ModelEndpointTests(ApiFixture api)
{
    [Fact]
    public async Task Models_lists_every_model_directory_with_version_heads_and_labels()
    {
        var json = await (await api.Client.GetAsync("/models")).ReadJsonAsync();

        Assert.Equal("default", json.GetProperty("defaultModel").GetString());
        var models = json.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["default", "second"], models.Select(m => m.GetProperty("name").GetString()));
        var first = models[0];
        Assert.Equal("Ready", first.GetProperty("status").GetString());
        Assert.True(first.GetProperty("isDefault").GetBoolean());
        Assert.Equal(ModelFixture.VersionOne, first.GetProperty("version").GetString());
        Assert.True(first.GetProperty("loadedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("lastError").ValueKind);
        var queue = first.GetProperty("heads").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "queue");
        Assert.Equal("SingleLabel", queue.GetProperty("kind").GetString());
        Assert.Contains("Billing", queue.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.False(models[1].GetProperty("isDefault").GetBoolean());
        Assert.Equal(ModelFixture.VersionTwo, models[1].GetProperty("version").GetString());
    }

    [Fact]
    public async Task Model_details_include_the_manifest_with_metrics()
    {
        var json = await (await api.Client.GetAsync("/models/default")).ReadJsonAsync();

        Assert.Equal("default", json.GetProperty("name").GetString());
        var manifest = json.GetProperty("manifest");
        Assert.Equal(ModelFixture.VersionOne, manifest.GetProperty("version").GetString());
        Assert.Equal(4, manifest.GetProperty("heads").GetArrayLength());
        Assert.Equal(1 << 12, manifest.GetProperty("featurizer").GetProperty("buckets").GetInt32());
        Assert.InRange(manifest.GetProperty("metrics").GetProperty("queue").GetProperty("accuracy").GetDouble(), 0.5, 1.0);
        Assert.True(manifest.GetProperty("training").GetProperty("rows").GetInt32() > 0);
    }

    [Fact]
    public async Task Model_details_of_an_unknown_model_return_404_naming_it()
    {
        var problem = await (await api.Client.GetAsync("/models/missing-model")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("'missing-model'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_of_an_unknown_model_returns_404()
    {
        var problem = await (await api.Client.PostAsync("/models/missing-model/reload", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("missing-model", problem.GetProperty("model").GetString());
    }
}
