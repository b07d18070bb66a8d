using System.Net;
using System.Net.Http.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Knowledge;

[Collection(ApiCollection.Name)]
public sealed class Int8KnowledgeTests(ApiFixture api) : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task A_collection_written_with_minilm_int8_is_listed_by_its_encoder_and_searched_densely_by_a_service_configured_for_minilm()
    {
        await using (var int8 = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Knowledge:Path"] = _data.Path, ["Knowledge:Encoder"] = "minilm-int8" }))
        {
            using var writer = int8.CreateClient();
            var written = await writer.PutAsJsonAsync("/knowledge/tickets/documents", KnowledgeTickets.Upsert(DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        }

        await using var service = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Knowledge:Path"] = _data.Path });
        using var client = service.CreateClient();

        var listed = (await (await client.GetAsync("/knowledge")).ReadJsonAsync()).EnumerateArray().Single();
        var similar = await (await client.PostAsJsonAsync("/similar", new { subject = "Refund the second payment for my invoice", topK = 2, mode = "dense" })).ReadJsonAsync();

        Assert.Equal("minilm-int8", listed.GetProperty("encoder").GetString());
        Assert.True(listed.GetProperty("embeddings").GetBoolean());
        var hits = similar.GetProperty("hits").EnumerateArray().ToList();
        Assert.All(hits, h => Assert.Equal("Billing", h.GetProperty("queue").GetString()));
        Assert.True(hits[0].GetProperty("cosine").GetDouble() > 0.4);
    }

    public void Dispose() => _data.Dispose();
}
