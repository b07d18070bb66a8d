using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Security;

/// <summary>What a service started in Production shows to callers without a key.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProductionDefaultsTests(ApiFixture api)
{
    [Fact]
    public async Task Swagger_is_off_in_production_unless_enabled()
    {
        await using var keysRequired = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        await using var swaggerEnabled = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required(new() { ["OpenTicketAI:EnableSwagger"] = "true" }));
        await using var defaults = InProduction(keysRequired);
        await using var enabled = InProduction(swaggerEnabled);

        // Not mapped: anonymous callers meet the key check every unknown path has, callers with a key a 404.
        Assert.Equal(HttpStatusCode.Unauthorized, (await defaults.CreateClient().GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await defaults.CreateClient().WithBearer(TestApiKeys.Admin).GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await defaults.CreateClient().WithBearer(TestApiKeys.Admin).GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await enabled.CreateClient().GetAsync("/swagger/v1/swagger.json")).StatusCode);
    }

    [Fact]
    public async Task Readiness_shows_model_details_only_to_a_caller_with_a_key()
    {
        await using var keysRequired = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        await using var factory = InProduction(keysRequired);
        await Eventually.Async(async () => (await factory.CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the default model to become ready");

        var anonymous = await factory.CreateClient().GetAsync("/health/ready");
        var withKey = await factory.CreateClient().WithBearer(TestApiKeys.Predict).GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var hidden = await anonymous.ReadJsonAsync();
        Assert.Equal("Healthy", hidden.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, hidden.GetProperty("checks").ValueKind);
        Assert.DoesNotContain(api.Models.SharedModels, hidden.ToString(), StringComparison.Ordinal);
        var shown = await withKey.ReadJsonAsync();
        Assert.Equal("Ready", shown.GetProperty("checks")[0].GetProperty("data").GetProperty("default").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task A_warning_is_logged_at_start_up_when_api_keys_are_off(bool requireKeys, int warnings)
    {
        var logger = new FakeLogger<OpenAccessWarning>();
        var warning = new OpenAccessWarning(Options.Create(new SecurityOptions { RequireApiKeys = requireKeys }), new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" }, logger);

        await warning.StartAsync(CancellationToken.None);

        var logged = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(warnings, logged.Count);
        Assert.All(logged, r => Assert.Contains("every endpoint", r.Message, StringComparison.Ordinal));
    }

    private static WebApplicationFactory<Program> InProduction(ApiFactory factory) =>
        factory.WithWebHostBuilder(builder => builder.UseEnvironment(Environments.Production));
}
