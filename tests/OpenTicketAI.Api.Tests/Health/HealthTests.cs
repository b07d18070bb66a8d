using System.Net;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Health;

[Collection(ApiCollection.Name)]
public sealed class HealthTests(ApiFixture api)
{
    [Fact]
    public async Task Liveness_is_healthy()
    {
        var json = await (await api.Client.GetAsync("/health/live")).ReadJsonAsync();

        Assert.Equal("Healthy", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_reports_each_model()
    {
        var json = await (await api.Client.GetAsync("/health/ready")).ReadJsonAsync();

        Assert.Equal("Healthy", json.GetProperty("status").GetString());
        var data = json.GetProperty("checks")[0].GetProperty("data");
        Assert.Equal("Ready", data.GetProperty("default").GetProperty("status").GetString());
        Assert.Equal(ModelFixture.VersionTwo, data.GetProperty("second").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Readiness_is_503_until_the_default_model_is_copied_in()
    {
        var directory = Path.Combine(api.Models.NewModelsDirectory(), "not-created-yet");
        await using var factory = new ApiFactory(directory, new Dictionary<string, string?> { ["OpenTicketAI:WatchModels"] = "true" });
        using var client = factory.CreateClient();

        var notReady = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Contains("'default'", body.GetProperty("checks")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        await (await client.PredictAsync(Tickets.Billing())).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        ModelFiles.Install(api.Models.ModelOne, directory, "default");

        await factory.WaitUntilReadyAsync(TimeSpan.FromSeconds(15));
        var json = await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        Assert.Equal("Billing", json.GetProperty("predictions").GetProperty("queue").GetString());
    }
}
