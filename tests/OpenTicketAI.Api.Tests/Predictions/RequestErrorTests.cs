using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Predictions;

[Collection(ApiCollection.Name)]
public sealed class RequestErrorTests(ApiFixture api)
{
    [Fact]
    public async Task Predict_returns_problem_details_when_body_is_missing()
    {
        var response = await api.Client.PostAsync("/predict", Tickets.Json(string.Empty));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("empty", problem.ErrorsFor("$")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_returns_problem_details_when_body_is_json_null()
    {
        var response = await api.Client.PostAsync("/predict", Tickets.Json("null"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"subject": "", "body": null}""")]
    [InlineData("""{"subject": "   ", "body": "\n\t"}""")]
    public async Task Predict_rejects_a_ticket_without_text_naming_subject_and_body(string json)
    {
        var response = await api.Client.PostAsync("/predict", Tickets.Json(json));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("subject or body", problem.ErrorsFor("subject")[0], StringComparison.Ordinal);
        Assert.Contains("subject or body", problem.ErrorsFor("body")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_rejects_a_subject_over_the_limit()
    {
        var response = await api.Client.PredictAsync(new { subject = new string('a', 1001), body = "invoice" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1001", problem.ErrorsFor("subject")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_rejects_a_body_over_the_limit_when_oversize_bodies_are_rejected()
    {
        var response = await api.Client.PredictAsync(new { subject = "invoice", body = new string('a', 100_001) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Predict:MaxBodyChars", problem.ErrorsFor("body")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_truncates_a_body_over_the_limit_when_configured_and_says_so()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Predict:OversizeBody"] = "Truncate",
            ["Predict:MaxBodyChars"] = "200",
        });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var longBody = "The payment for our invoice was charged twice, please send a receipt. " + new string('x', 5_000);
        var truncated = await (await client.PredictAsync(new { subject = "Invoice charged twice", body = longBody })).ReadJsonAsync();
        var whole = await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync();

        Assert.True(truncated.GetProperty("truncated").GetBoolean());
        Assert.Equal("Billing", truncated.GetProperty("predictions").GetProperty("queue").GetString());
        Assert.False(whole.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("""{"subject": "invoice", """, "$")]
    [InlineData("""{"subject": "invoice" "body": "x"}""", "$")]
    [InlineData("""not json""", "$")]
    public async Task Predict_returns_problem_details_for_malformed_json(string json, string field)
    {
        var response = await api.Client.PostAsync("/predict", Tickets.Json(json));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Malformed JSON", problem.ErrorsFor(field)[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"subject": 5, "body": "invoice"}""", "subject", "'subject' must be a JSON string.")]
    [InlineData("""{"subject": "invoice", "body": ["a"]}""", "body", "'body' must be a JSON string.")]
    [InlineData("""{"subject": "invoice", "id": {"x": 1}}""", "id", "'id' must be a JSON string.")]
    [InlineData("""["invoice"]""", "$", "The request body must be a JSON object.")]
    public async Task Predict_names_the_field_with_the_wrong_json_type(string json, string field, string message)
    {
        var response = await api.Client.PostAsync("/predict", Tickets.Json(json));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([message], problem.ErrorsFor(field));
        Assert.Equal(message, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Predict_returns_415_for_a_content_type_other_than_json(string contentType)
    {
        var content = new StringContent("""{"subject": "invoice"}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await api.Client.PostAsync("/predict", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(contentType, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_returns_415_for_an_unknown_charset()
    {
        var content = new ByteArrayContent("""{"subject": "invoice"}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=klingon");

        var response = await api.Client.PostAsync("/predict", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("klingon", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_names_a_field_that_is_not_valid_utf8()
    {
        byte[] json = [.. "{\"subject\": \""u8, 0xFF, 0xFE, .. "\"}"u8];
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await api.Client.PostAsync("/predict", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.ErrorsFor("subject")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_returns_413_for_a_request_over_the_size_limit()
    {
        var body = new string('a', 1_100_000);

        var response = await api.Client.PostAsJsonAsync("/predict", new { subject = "invoice", body });

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_returns_413_for_a_chunked_request_over_the_size_limit()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"subject": "invoice", "body": "{{new string('a', 1_100_000)}}"}""");
        var content = new StreamContent(new MemoryStream(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await api.Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Predict_with_an_unknown_model_returns_404_naming_the_model()
    {
        var response = await api.Client.PredictAsync(Tickets.Billing(), "/models/nope/predict");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("'nope'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("nope", problem.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("has%20space")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("semi;colon")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task An_invalid_model_name_returns_400_naming_the_name(string name)
    {
        var predict = await api.Client.PredictAsync(Tickets.Billing(), $"/models/{name}/predict");
        var details = await api.Client.GetAsync($"/models/{name}");
        var reload = await api.Client.PostAsync($"/models/{name}/reload", null);

        foreach (var response in new[] { predict, details, reload })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("name"));
        }
    }

    [Fact]
    public async Task Unknown_routes_and_methods_return_problem_details()
    {
        await (await api.Client.GetAsync("/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.Client.GetAsync("/predict")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
    }
}
