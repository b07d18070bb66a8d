using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Documentation;

[Collection(ApiCollection.Name)]
public sealed class SwaggerTests(ApiFixture api)
{
    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_with_examples_and_error_responses()
    {
        var response = await api.Client.GetAsync("/swagger/v1/swagger.json");
        var text = await response.Content.ReadAsStringAsync();
        var paths = JsonDocument.Parse(text).RootElement.GetProperty("paths");

        Assert.Equal(
            ["/feedback", "/integrations", "/integrations/outbox", "/integrations/outbox/{id}/retry", "/integrations/{helpdesk}/{instance}/webhook", "/kpis", "/models", "/models/{name}", "/models/{name}/predict", "/models/{name}/predict/batch", "/models/{name}/reload", "/predict", "/predict/batch", "/rules/evaluate"],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var predictResponses = paths.GetProperty("/models/{name}/predict").GetProperty("post").GetProperty("responses");
        Assert.Equal(
            ["200", "400", "404", "413", "415", "500", "503"],
            predictResponses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal("application/problem+json", predictResponses.GetProperty("404").GetProperty("content").EnumerateObject().Single().Name);
        var reloadResponses = paths.GetProperty("/models/{name}/reload").GetProperty("post").GetProperty("responses");
        Assert.True(reloadResponses.TryGetProperty("422", out _));
        Assert.Contains("Cannot access my account", text, StringComparison.Ordinal);
        Assert.Contains("topK", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await api.Client.GetAsync("/swagger/index.html");

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
