using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Knowledge;

/// <summary>The service and another process (here: a second <see cref="KnowledgeIndex"/>, as <c>otai index</c> opens it) on one collection.</summary>
[Collection(ApiCollection.Name)]
public sealed class SharedCollectionEndpointTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly ApiFactory _factory;
    private readonly HttpClient _client;

    public SharedCollectionEndpointTests(ApiFixture api)
    {
        _factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Knowledge:Path"] = _data.Path,
            ["Knowledge:Encoder"] = "none",
            ["Knowledge:RescanInterval"] = "00:00:00.200",
            ["Knowledge:WriteLockTimeout"] = "00:00:00.300",
        });
        _client = _factory.CreateClient();
    }

    private string CollectionPath => _data.Combine("tickets");

    [Fact]
    public async Task Similar_finds_what_otai_index_wrote_while_the_service_runs()
    {
        await UpsertAsync("billing-1", "Refund the double charge on my invoice");
        using (var indexer = KnowledgeIndex.Open("tickets", CollectionPath, encoder: null))
        {
            await indexer.UpsertAsync([new KnowledgeDocument { Id = "network-1", Title = "VPN tunnel drops every hour", Queue = "IT" }]);
        }

        await Eventually.Async(
            async () => (await SimilarIdsAsync("vpn tunnel drops")).FirstOrDefault() == "network-1",
            TimeSpan.FromSeconds(15),
            "the service to find the document another process indexed");
        Assert.Equal(["billing-1"], await SimilarIdsAsync("refund invoice charge"));
    }

    [Fact]
    public async Task Upsert_while_another_process_holds_the_write_lock_is_503_and_stores_nothing()
    {
        await UpsertAsync("billing-1", "Refund the double charge on my invoice");
        HttpResponseMessage busy;
        using (new FileStream(Path.Combine(CollectionPath, "write.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            busy = await _client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents = new[] { new { id = "network-1", title = "VPN tunnel drops every hour" } } });
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await busy.Content.ReadAsStringAsync());
        Assert.Equal("tickets", problem.RootElement.GetProperty("collection").GetString());
        Assert.Empty(await SimilarIdsAsync("vpn tunnel drops"));
        await UpsertAsync("network-1", "VPN tunnel drops every hour");
        Assert.Equal(["network-1"], await SimilarIdsAsync("vpn tunnel drops"));
    }

    private async Task UpsertAsync(string id, string title)
    {
        var response = await _client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents = new[] { new { id, title } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<string>> SimilarIdsAsync(string subject)
    {
        var body = await (await _client.PostAsJsonAsync("/similar", new { subject, topK = 5 })).ReadJsonAsync();
        return body.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToList();
    }

    // xUnit 2 disposes a test class through IDisposable or IAsyncLifetime, never through IAsyncDisposable.
    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _data.Dispose();
    }
}
