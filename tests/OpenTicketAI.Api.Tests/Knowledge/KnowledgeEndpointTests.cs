using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Knowledge;

[Collection(ApiCollection.Name)]
public sealed class KnowledgeEndpointTests : IDisposable
{
    private readonly ApiFixture _api;
    private readonly TempDirectory _data = new();
    private readonly ApiFactory _factory;
    private readonly HttpClient _client;

    public KnowledgeEndpointTests(ApiFixture api)
    {
        _api = api;
        _factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Knowledge:Path"] = _data.Path });
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task Similar_returns_past_tickets_of_the_same_topic_with_their_answers()
    {
        await UpsertTicketsAsync();

        var response = await _client.PostAsJsonAsync("/similar", new { subject = "Refund the second payment for my invoice", topK = 2 });

        var body = await response.ReadJsonAsync();
        var hits = body.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal("fused", body.GetProperty("mode").GetString());
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Equal("Billing", h.GetProperty("queue").GetString()));
        Assert.StartsWith("We refunded", hits[0].GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.True(hits[0].GetProperty("cosine").GetDouble() > 0.4);
    }

    [Fact]
    public async Task Bulk_upsert_is_idempotent_by_id_and_delete_removes_documents()
    {
        var first = await UpsertTicketsAsync();
        var second = await UpsertTicketsAsync();
        var deleted = await (await _client.PostAsJsonAsync("/knowledge/tickets/documents/delete", new { ids = new[] { "billing-0", "missing" } })).ReadJsonAsync();

        Assert.Equal((9, 0), (first.GetProperty("added").GetInt32(), first.GetProperty("replaced").GetInt32()));
        Assert.Equal((0, 9, 9), (second.GetProperty("added").GetInt32(), second.GetProperty("replaced").GetInt32(), second.GetProperty("count").GetInt32()));
        Assert.Equal((1, 8), (deleted.GetProperty("deleted").GetInt32(), deleted.GetProperty("count").GetInt32()));
        var hits = (await (await _client.PostAsJsonAsync("/similar", new { subject = KnowledgeTickets.Topics[1].Questions[0], topK = 10, mode = "lexical" })).ReadJsonAsync()).GetProperty("hits");
        Assert.DoesNotContain(hits.EnumerateArray(), h => h.GetProperty("id").GetString() == "billing-0");
    }

    [Fact]
    public async Task Suggest_drafts_the_closest_answer_with_sources_and_abstains_when_nothing_is_close()
    {
        await UpsertTicketsAsync();

        var close = await (await _client.PostAsJsonAsync("/suggest", new { subject = "VPN disconnects all the time", body = "My VPN connection keeps dropping." })).ReadJsonAsync();
        var far = await (await _client.PostAsJsonAsync("/suggest", new { subject = "Recipe for apple pie with cinnamon", body = "How long should the pie bake?" })).ReadJsonAsync();

        Assert.False(close.GetProperty("needsReview").GetBoolean());
        Assert.StartsWith("Update the VPN client", close.GetProperty("draft").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("network-", close.GetProperty("sources")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(far.GetProperty("needsReview").GetBoolean());
        Assert.Equal(JsonValueKind.Null, far.GetProperty("draft").ValueKind);
        Assert.True(far.GetProperty("confidence").GetDouble() < far.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task Summarize_keeps_the_request_sentences_and_extracts_key_facts()
    {
        var thread = "Hello team. I hope you are well. Since the update to version 4.2.1 the export fails with error E1042. "
            + "It happened on 2025-03-14 again. My order number is ORD-88123 and the invoice INV-2025-0042 is affected. "
            + "The weather here is nice. The export failure blocks our monthly closing. Thanks and best regards.";

        var body = await (await _client.PostAsJsonAsync("/summarize", new { subject = "Export fails", body = thread, maxSentences = 2 })).ReadJsonAsync();

        var summary = body.GetProperty("summary").EnumerateArray().Select(s => s.GetString()!).ToList();
        var facts = body.GetProperty("facts");
        Assert.Equal(2, summary.Count);
        Assert.Contains(summary, s => s.Contains("export", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["ORD-88123"], facts.GetProperty("orderNumbers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["INV-2025-0042"], facts.GetProperty("invoiceNumbers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["4.2.1"], facts.GetProperty("versions").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("2025-03-14", facts.GetProperty("dates").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("E1042", facts.GetProperty("errorCodes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Gaps_group_recent_tickets_that_no_article_answers()
    {
        await UpsertTicketsAsync();
        await _client.PutAsJsonAsync("/knowledge/articles/documents", new
        {
            documents = new[] { new { id = "vpn-guide", title = "VPN keeps disconnecting", body = "If your VPN connection drops, update the VPN client and switch to IKEv2." } },
        });

        var body = await (await _client.GetAsync("/kb/gaps?days=30")).ReadJsonAsync();

        var gaps = body.GetProperty("gaps").EnumerateArray().ToList();
        Assert.NotEmpty(gaps);
        var ids = gaps.SelectMany(g => g.GetProperty("representatives").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)).ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("network-", StringComparison.Ordinal));
        Assert.All(gaps, g => Assert.True(g.GetProperty("size").GetInt32() >= 2));
    }

    [Theory]
    [InlineData("/similar", """{"subject":"","body":" "}""", "subject")]
    [InlineData("/similar", """{"subject":"vpn","topK":0}""", "topK")]
    [InlineData("/similar", """{"subject":"vpn","mode":"magic"}""", "mode")]
    [InlineData("/similar", """{"subject":"vpn","collection":"../etc"}""", "collection")]
    [InlineData("/suggest", """{"body":"vpn","language":"not a language"}""", "language")]
    [InlineData("/summarize", """{"subject":"only a subject"}""", "body")]
    public async Task Malformed_requests_get_a_problem_naming_the_field(string path, string json, string field)
    {
        var response = await _client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Upsert_names_the_document_field_that_is_wrong_and_similar_on_a_missing_collection_is_404()
    {
        var invalid = await _client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents = new object[] { new { id = "ok", body = "text" }, new { title = "no id" } } });
        var missing = await _client.PostAsJsonAsync("/similar", new { subject = "vpn", collection = "nothing-here" });

        Assert.NotEmpty((await invalid.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorsFor("documents[1].id"));
        Assert.Equal("nothing-here", (await missing.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("collection").GetString());
    }

    [Fact]
    public async Task Writing_documents_needs_the_knowledge_scope_and_asking_needs_predict()
    {
        await using var secured = new ApiFactory(_api.Models.SharedModels, TestApiKeys.Required(new() { ["Knowledge:Path"] = _data.Path }));
        var documents = new { documents = new[] { new { id = "t1", title = "VPN drops", body = "The VPN drops.", answer = "Update the client." } } };

        var byPredictKey = await secured.CreateClient().WithBearer(TestApiKeys.Predict).PutAsJsonAsync("/knowledge/tickets/documents", documents);
        var byAdmin = await secured.CreateClient().WithBearer(TestApiKeys.Admin).PutAsJsonAsync("/knowledge/tickets/documents", documents);
        var asked = await secured.CreateClient().WithBearer(TestApiKeys.Predict).PostAsJsonAsync("/similar", new { subject = "vpn" });
        var byMetricsKey = await secured.CreateClient().WithBearer(TestApiKeys.Metrics).PostAsJsonAsync("/similar", new { subject = "vpn" });

        await byPredictKey.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        await byMetricsKey.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<JsonElement> UpsertTicketsAsync()
    {
        var response = await _client.PutAsJsonAsync("/knowledge/tickets/documents", KnowledgeTickets.Upsert(DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    // xUnit 2 disposes a test class through IDisposable or IAsyncLifetime, never through IAsyncDisposable.
    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _data.Dispose();
    }
}
