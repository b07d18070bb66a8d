using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenTicketAI.Api.Tests.Predictions;

[Collection(ApiCollection.Name)]
public sealed class PredictTests(ApiFixture api, ITestOutputHelper output)
{
    // The model's heads, then "language", which the service's identifier adds to a model without a language head.
    private static readonly string[] Heads = ["queue", "priority", "tags", "sentiment", "language"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task Predict_returns_the_documented_shape_with_the_obvious_queue()
    {
        var json = await (await api.Client.PredictAsync(Tickets.Billing("TCK-1"))).ReadJsonAsync();

        Assert.Equal(
            ["predictions", "confidence", "needsReview", "alternatives", "tagScores", "model", "id", "truncated"],
            json.EnumerateObject().Select(p => p.Name));
        var predictions = json.GetProperty("predictions");
        Assert.Equal(Heads, predictions.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Billing", predictions.GetProperty("queue").GetString());
        Assert.Equal(JsonValueKind.String, predictions.GetProperty("priority").ValueKind);
        Assert.Equal(JsonValueKind.Array, predictions.GetProperty("tags").ValueKind);
        foreach (var head in Heads)
        {
            Assert.InRange(json.GetProperty("confidence").GetProperty(head).GetDouble(), 0, 1);
            Assert.True(json.GetProperty("needsReview").GetProperty(head).ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.Equal(3, json.GetProperty("alternatives").GetProperty(head).GetArrayLength());
        }

        var queueAlternatives = json.GetProperty("alternatives").GetProperty("queue").EnumerateArray().ToArray();
        Assert.Equal("Billing", queueAlternatives[0].GetProperty("label").GetString());
        Assert.True(queueAlternatives[0].GetProperty("score").GetDouble() >= queueAlternatives[1].GetProperty("score").GetDouble());
        Assert.All(json.GetProperty("tagScores").EnumerateObject(), t => Assert.InRange(t.Value.GetDouble(), 0, 1));
        Assert.Equal("default", json.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(ModelFixture.VersionOne, json.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("TCK-1", json.GetProperty("id").GetString());
        Assert.False(json.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("sales", "Sales")]
    [InlineData("technical", "Technical Support")]
    public async Task Predict_routes_each_synthetic_queue_to_its_label(string ticket, string queue)
    {
        var request = ticket == "sales" ? Tickets.Sales() : Tickets.Technical();

        var json = await (await api.Client.PredictAsync(request)).ReadJsonAsync();

        Assert.Equal(queue, json.GetProperty("predictions").GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Predict_accepts_a_ticket_with_only_a_subject()
    {
        var json = await (await api.Client.PredictAsync(new { subject = "Invoice payment receipt" })).ReadJsonAsync();

        Assert.Equal("Billing", json.GetProperty("predictions").GetProperty("queue").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task Predict_with_a_named_model_uses_that_model()
    {
        var json = await (await api.Client.PredictAsync(Tickets.Billing(), "/models/second/predict")).ReadJsonAsync();

        Assert.Equal("second", json.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(ModelFixture.VersionTwo, json.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(ModelFixture.RenamedBillingQueue, json.GetProperty("predictions").GetProperty("queue").GetString());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(20, 3)]
    public async Task Predict_lists_top_k_alternatives_per_head(int topK, int expectedQueueAlternatives)
    {
        var json = await (await api.Client.PredictAsync(Tickets.Billing(), $"/predict?topK={topK}")).ReadJsonAsync();

        Assert.Equal(expectedQueueAlternatives, json.GetProperty("alternatives").GetProperty("queue").GetArrayLength());
        Assert.Equal(Math.Min(topK, 5), json.GetProperty("alternatives").GetProperty("tags").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    [InlineData("-3")]
    [InlineData("abc")]
    public async Task Predict_rejects_top_k_outside_1_to_20_naming_top_k(string topK)
    {
        var response = await api.Client.PredictAsync(Tickets.Billing(), $"/predict?topK={topK}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(topK == "abc" ? "must be an integer" : "between 1 and 20", problem.ErrorsFor("topK")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_of_the_documentation_example_returns_every_head()
    {
        var response = await api.Client.PostAsJsonAsync("/predict", new
        {
            subject = "Cannot access my account",
            body = "I have been unable to log in since yesterday. The password reset email never arrives and I have an urgent deadline.",
        });
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(text), Indented));

        var json = await response.ReadJsonAsync();
        Assert.Equal(Heads, json.GetProperty("predictions").EnumerateObject().Select(p => p.Name));
    }
}
