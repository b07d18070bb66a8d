using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Knowledge;

/// <summary>
/// Replicas that hold their knowledge collections in PostgreSQL (<c>Knowledge:Provider</c>): each host has its own
/// directory, as pods without a shared volume would.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KnowledgeDatabaseTests(ApiFixture api) : IAsyncLifetime
{
    private readonly List<TempDirectory> _directories = [];
    private readonly List<ApiFactory> _hosts = [];

    [SkippableFact]
    public async Task A_document_upserted_on_one_replica_is_found_by_similar_on_the_other()
    {
        await using var schema = new PostgreSqlTestSchema();
        var first = Replica(schema, rescan: "00:00:00.200").CreateClient();
        var second = Replica(schema, rescan: "00:00:00.200").CreateClient();

        await UpsertAsync(first, "network-1", "VPN tunnel drops every hour");

        await Eventually.Async(
            async () => (await SimilarIdsAsync(second, "vpn tunnel drops")).FirstOrDefault() == "network-1",
            TimeSpan.FromSeconds(15),
            "the second replica to find what the first one indexed");
        var deleted = await second.PostAsJsonAsync("/knowledge/tickets/documents/delete", new { ids = new[] { "network-1" } });
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Eventually.Async(
            async () => (await SimilarIdsAsync(first, "vpn tunnel drops")).Count == 0,
            TimeSpan.FromSeconds(15),
            "the first replica to drop what the second one deleted");
        var age = Assert.Single((await ScrapeAsync(first)).Named("otai_knowledge_refresh_age_seconds"), s => s.Has("collection", "tickets"));
        Assert.InRange(age.Value, 0, 10);
    }

    [SkippableFact]
    public async Task A_replica_started_later_answers_from_the_collection_on_its_first_request()
    {
        await using var schema = new PostgreSqlTestSchema();
        var first = Replica(schema, rescan: "00:00:00").CreateClient();
        await UpsertAsync(first, "billing-1", "Refund the double charge on my invoice");

        // No rescans: only the start-up read of the database can have brought the collection.
        var late = Replica(schema, rescan: "00:00:00").CreateClient();

        Assert.Equal(["billing-1"], await SimilarIdsAsync(late, "refund invoice charge"));
    }

    [SkippableFact]
    public async Task A_replica_configured_for_another_packaged_encoder_reads_the_collection_with_the_one_that_wrote_it()
    {
        await using var schema = new PostgreSqlTestSchema();
        var writer = Replica(schema, rescan: "00:00:00", encoder: "minilm-int8").CreateClient();
        var written = await writer.PutAsJsonAsync("/knowledge/tickets/documents", KnowledgeTickets.Upsert(DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);

        var reader = Replica(schema, rescan: "00:00:00", encoder: "minilm").CreateClient();
        var listed = (await (await reader.GetAsync("/knowledge")).ReadJsonAsync()).EnumerateArray().Single();
        var similar = await (await reader.PostAsJsonAsync("/similar", new { subject = "Refund the second payment for my invoice", topK = 2, mode = "dense" })).ReadJsonAsync();

        Assert.Equal("minilm-int8", listed.GetProperty("encoder").GetString());
        var hits = similar.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal("Billing", h.GetProperty("queue").GetString()));
        Assert.True(hits[0].GetProperty("cosine").GetDouble() > 0.4);
    }

    [Fact]
    public async Task Upsert_while_the_database_is_unreachable_is_503_and_the_replica_keeps_serving_its_copy()
    {
        var client = await ReplicaOfAnUnreachableDatabaseAsync(rescan: "00:00:10");

        var refused = await client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents = new[] { new { id = "network-1", title = "VPN tunnel drops every hour" } } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("tickets", problem.RootElement.GetProperty("collection").GetString());
        Assert.Equal(["billing-1"], await SimilarIdsAsync(client, "refund invoice charge"));
        Assert.Empty(await SimilarIdsAsync(client, "vpn tunnel drops"));
    }

    [Fact]
    public async Task Metrics_show_the_documents_a_replica_serves_and_the_refreshes_its_unreachable_database_failed()
    {
        var client = await ReplicaOfAnUnreachableDatabaseAsync(rescan: "00:00:00.200");

        await Eventually.Async(
            async () => (await ScrapeAsync(client)).Named("otai_knowledge_refresh_failures_total").Any(s => s.Has("collection", "tickets") && s.Value >= 2),
            TimeSpan.FromSeconds(15),
            "failed refreshes of the collection to be counted");
        var documents = Assert.Single((await ScrapeAsync(client)).Named("otai_knowledge_documents"), s => s.Has("collection", "tickets"));
        Assert.Equal(1, documents.Value);
        Assert.DoesNotContain((await ScrapeAsync(client)).Named("otai_knowledge_refresh_age_seconds"), s => s.Has("collection", "tickets"));
    }

    [Fact]
    public void Start_up_refuses_PostgreSql_without_a_connection_string()
    {
        var host = Host(NewDirectory(), new() { ["Knowledge:Provider"] = "PostgreSql" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("Knowledge:ConnectionString is required when Knowledge:Provider is PostgreSql.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host whose collection database refuses connections, with a copy of collection 'tickets' (billing-1) on its disk.</summary>
    private async Task<HttpClient> ReplicaOfAnUnreachableDatabaseAsync(string rescan)
    {
        var directory = NewDirectory();
        using (var local = KnowledgeIndex.Open("tickets", directory.Combine("tickets"), encoder: null))
        {
            await local.UpsertAsync([new KnowledgeDocument { Id = "billing-1", Title = "Refund the double charge on my invoice" }]);
        }

        return Host(directory, new()
        {
            ["Knowledge:Provider"] = "PostgreSql",
            ["Knowledge:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none;Timeout=2",
            ["Knowledge:RescanInterval"] = rescan,
        }).CreateClient();
    }

    private ApiFactory Replica(PostgreSqlTestSchema schema, string rescan, string encoder = "none") => Host(NewDirectory(), new()
    {
        ["Knowledge:Provider"] = "PostgreSql",
        ["Knowledge:ConnectionString"] = schema.ConnectionString,
        ["Knowledge:RescanInterval"] = rescan,
        ["Knowledge:Encoder"] = encoder,
    });

    private ApiFactory Host(TempDirectory directory, Dictionary<string, string?> settings)
    {
        settings["Knowledge:Path"] = directory.Path;
        settings.TryAdd("Knowledge:Encoder", "none");
        var host = new ApiFactory(api.Models.SharedModels, settings);
        _hosts.Add(host);
        return host;
    }

    private TempDirectory NewDirectory()
    {
        var directory = new TempDirectory();
        _directories.Add(directory);
        return directory;
    }

    private static async Task UpsertAsync(HttpClient client, string id, string title)
    {
        var response = await client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents = new[] { new { id, title } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<string>> SimilarIdsAsync(HttpClient client, string subject)
    {
        var response = await client.PostAsJsonAsync("/similar", new { subject, topK = 5 });
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var body = await response.ReadJsonAsync();
        return body.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }
}
