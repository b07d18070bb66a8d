using System.Net;
using System.Net.Http.Json;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Predictions;

[Collection(ApiCollection.Name)]
public sealed class BatchPredictTests(ApiFixture api)
{
    [Fact]
    public async Task Batch_returns_one_result_per_ticket_in_request_order()
    {
        var response = await api.Client.PostAsJsonAsync("/predict/batch", new
        {
            tickets = new[] { Tickets.Billing("a"), Tickets.Sales(), Tickets.Technical() },
        });

        var results = (await response.ReadJsonAsync()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["Billing", "Sales", "Technical Support"], results.Select(r => r.GetProperty("predictions").GetProperty("queue").GetString()));
        Assert.Equal("a", results[0].GetProperty("id").GetString());
        Assert.All(results, r => Assert.Equal(ModelFixture.VersionOne, r.GetProperty("model").GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Batch_with_a_named_model_uses_that_model()
    {
        var response = await api.Client.PostAsJsonAsync("/models/second/predict/batch?topK=1", new { tickets = new[] { Tickets.Billing() } });

        var result = (await response.ReadJsonAsync()).GetProperty("results")[0];
        Assert.Equal(ModelFixture.RenamedBillingQueue, result.GetProperty("predictions").GetProperty("queue").GetString());
        Assert.Equal(1, result.GetProperty("alternatives").GetProperty("queue").GetArrayLength());
    }

    [Fact]
    public async Task Batch_rejects_more_tickets_than_the_limit()
    {
        var tickets = Enumerable.Range(0, 101).Select(i => new { subject = $"ticket {i}" }).ToArray();

        var response = await api.Client.PostAsJsonAsync("/predict/batch", new { tickets });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 100", problem.ErrorsFor("tickets")[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"tickets": null}""")]
    [InlineData("""{"tickets": []}""")]
    public async Task Batch_rejects_a_missing_or_empty_ticket_list(string json)
    {
        var response = await api.Client.PostAsync("/predict/batch", Tickets.Json(json));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("tickets"));
    }

    [Fact]
    public async Task Batch_names_each_invalid_ticket_field_with_its_index()
    {
        var response = await api.Client.PostAsync("/predict/batch", Tickets.Json("""
            {"tickets": [
              {"subject": "fine"},
              {"subject": "fine", "body": "fine"},
              {"subject": "", "body": "  "},
              {"subject": "fine", "language": "not a language!"},
              null
            ]}
            """));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("tickets[2].subject"));
        Assert.NotEmpty(problem.ErrorsFor("tickets[2].body"));
        Assert.NotEmpty(problem.ErrorsFor("tickets[3].language"));
        Assert.NotEmpty(problem.ErrorsFor("tickets[4]"));
        Assert.False(problem.GetProperty("errors").TryGetProperty("tickets[0].subject", out _));
    }

    [Fact]
    public async Task Batch_names_the_ticket_field_with_a_wrong_json_type()
    {
        var response = await api.Client.PostAsync("/predict/batch", Tickets.Json("""{"tickets": [{"subject": "ok"}, {"body": true}]}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("string", problem.ErrorsFor("tickets[1].body")[0], StringComparison.Ordinal);
    }
}
