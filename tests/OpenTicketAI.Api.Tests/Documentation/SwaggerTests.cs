using System.Text.Json;
using System.Text.Json.Nodes;
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
            ["/feedback", "/integrations", "/integrations/outbox", "/integrations/outbox/{id}/retry", "/integrations/{helpdesk}/{instance}/webhook", "/kb/gaps", "/kb/suggest", "/knowledge", "/knowledge/{collection}/documents", "/knowledge/{collection}/documents/delete", "/kpis", "/models", "/models/{name}", "/models/{name}/predict", "/models/{name}/predict/batch", "/models/{name}/reload", "/models/{name}/rollback", "/models/{name}/train", "/models/{name}/train/jobs", "/models/{name}/train/jobs/{id}", "/models/{name}/versions", "/models/{name}/versions/{version}/promote", "/predict", "/predict/batch", "/rules/evaluate", "/similar", "/suggest", "/summarize"],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var predictResponses = paths.GetProperty("/models/{name}/predict").GetProperty("post").GetProperty("responses");
        Assert.Equal(
            ["200", "400", "401", "403", "404", "413", "415", "429", "500", "503", "504"],
            predictResponses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal("application/problem+json", predictResponses.GetProperty("404").GetProperty("content").EnumerateObject().Single().Name);
        var reloadResponses = paths.GetProperty("/models/{name}/reload").GetProperty("post").GetProperty("responses");
        Assert.True(reloadResponses.TryGetProperty("422", out _));
        Assert.True(paths.GetProperty("/models/{name}/versions/{version}/promote").GetProperty("post").GetProperty("responses").TryGetProperty("422", out _));
        Assert.True(paths.GetProperty("/models/{name}/train").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
        Assert.Contains("Cannot access my account", text, StringComparison.Ordinal);
        Assert.Contains("topK", text, StringComparison.Ordinal);
        Assert.Contains("agent.maria@example.com", text, StringComparison.Ordinal);
        var feedbackResponses = paths.GetProperty("/feedback").GetProperty("post").GetProperty("responses");
        Assert.Contains("Ticket not found.", feedbackResponses.GetProperty("404").ToString(), StringComparison.Ordinal);
        var kpiParameters = paths.GetProperty("/kpis").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["from", "to", "model", "bucket"], kpiParameters);
    }

    [Fact]
    public async Task The_predict_response_example_is_what_the_served_default_model_answers_for_the_example_request()
    {
        var document = JsonNode.Parse(await api.Client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var request = document["components"]!["schemas"]!["PredictRequest"]!["example"]!;

        var answer = JsonNode.Parse(await (await api.Client.PostAsync("/predict", Tickets.Json(request.ToJsonString()))).Content.ReadAsStringAsync());

        var example = document["components"]!["schemas"]!["PredictResponse"]!["example"];
        Assert.True(JsonNode.DeepEquals(answer, example), $"example: {example?.ToJsonString()}\nanswer: {answer?.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(answer, document["components"]!["schemas"]!["BatchPredictResponse"]!["example"]!["results"]![0]));
    }

    [Fact]
    public async Task Predictions_are_the_first_tag_and_every_integration_endpoint_has_a_summary()
    {
        var document = JsonNode.Parse(await api.Client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var tags = document["tags"]!.AsArray().Select(t => (string?)t!["name"]).ToList();
        Assert.Equal("Predictions", tags[0]);
        Assert.Contains("Integrations", tags);
        var integrationOperations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/integrations", StringComparison.Ordinal) || p.Key == "/rules/evaluate")
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Operation: o.Value!)))
            .ToList();
        Assert.Equal(5, integrationOperations.Count);
        Assert.All(integrationOperations, o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Operation["summary"]), $"{o.Path} has no summary"));
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await api.Client.GetAsync("/swagger/index.html");

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
