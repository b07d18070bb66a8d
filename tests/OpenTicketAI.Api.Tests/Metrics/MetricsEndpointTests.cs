using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Metrics;

[Collection(ApiCollection.Name)]
public sealed class MetricsEndpointTests(ApiFixture api) : IDisposable
{
    private readonly TempDirectory _data = new();

    // Unique per test: every host in the test process shares the meters' names, so series are told apart by model.
    private readonly string _model = "metrics-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Metrics_counts_every_predicted_label_and_confidence_of_the_served_model()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var responses = new List<JsonElement>();
        foreach (var ticket in new[] { Tickets.Billing("A-1"), Tickets.Billing("A-2"), Tickets.Sales(), Tickets.Technical() })
        {
            responses.Add(await (await client.PredictAsync(ticket)).ReadJsonAsync());
        }

        var batch = await (await client.PostAsJsonAsync("/predict/batch", new { tickets = new[] { Tickets.Sales(), Tickets.Billing() } })).ReadJsonAsync();
        responses.AddRange(batch.GetProperty("results").EnumerateArray());

        var samples = await ScrapeAsync(client);

        var expected = ExpectedLabelCounts(responses);
        var counted = samples.Named("otai_predictions_total")
            .Where(s => s.Has("model", _model))
            .ToDictionary(s => (s.Labels["head"], s.Labels["label"]), s => s.Value);
        Assert.Equal(expected.OrderBy(e => e.Key), counted.OrderBy(c => c.Key));
        Assert.All(samples.Named("otai_predictions_total").Where(s => s.Has("model", _model)), s => Assert.Equal(ModelFixture.VersionOne, s.Labels["version"]));

        foreach (var head in responses[0].GetProperty("confidence").EnumerateObject().Select(p => p.Name))
        {
            var histogram = samples.Where(s => s.Has("model", _model) && s.Has("head", head)).ToList();
            Assert.Equal(responses.Count, histogram.Named("otai_prediction_confidence_count").Single().Value);
            var sum = responses.Sum(r => r.GetProperty("confidence").GetProperty(head).GetDouble());
            Assert.Equal(sum, histogram.Named("otai_prediction_confidence_sum").Single().Value, 6);
            var buckets = histogram.Named("otai_prediction_confidence_bucket").ToList();
            Assert.Equal(responses.Count, buckets.Single(b => b.Has("le", "+Inf")).Value);
            var atMostHalf = responses.Count(r => r.GetProperty("confidence").GetProperty(head).GetDouble() <= 0.5);
            Assert.Equal(atMostHalf, buckets.Single(b => b.Has("le", "0.5")).Value);
        }

        var review = responses.Count(r => r.GetProperty("needsReview").EnumerateObject().Any(p => p.Value.GetBoolean()));
        var tickets = samples.Named("otai_tickets_predicted_total").Where(s => s.Has("model", _model)).ToList();
        Assert.Equal(review, tickets.Where(s => s.Has("routing", "review")).Sum(s => s.Value));
        Assert.Equal(responses.Count - review, tickets.Where(s => s.Has("routing", "auto")).Sum(s => s.Value));
        foreach (var head in responses[0].GetProperty("needsReview").EnumerateObject().Select(p => p.Name))
        {
            var routed = responses.Count(r => r.GetProperty("needsReview").GetProperty(head).GetBoolean());
            var series = samples.Named("otai_predictions_review_total").SingleOrDefault(s => s.Has("model", _model) && s.Has("head", head));
            Assert.Equal(routed, series?.Value ?? 0);
        }

        var info = Assert.Single(samples.Named("otai_model_info"), s => s.Has("model", _model));
        Assert.Equal(1, info.Value);
        Assert.Equal(ModelFixture.VersionOne, info.Labels["version"]);
        Assert.Equal("true", info.Labels["default"]);
        Assert.Matches("^[0-9a-f]{12}$", info.Labels["fingerprint"]);

        var predictRequests = samples.Named("http_server_request_duration_seconds_count")
            .Where(s => s.Has("http_route", "/predict/") && s.Has("http_request_method", "POST"))
            .Sum(s => s.Value);
        Assert.True(predictRequests >= 4, $"expected the 4 POST /predict requests in the request duration histogram, found {predictRequests}");
    }

    [Fact]
    public async Task Metrics_reports_misroute_rate_and_live_accuracy_from_feedback_per_model_version()
    {
        await using var factory = NewFactory(new() { ["Metrics:KpiRefreshInterval"] = "00:00:01" });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var responses = new Dictionary<string, JsonElement>();
        foreach (var (id, ticket) in new (string, object)[] { ("K-1", Tickets.Billing("K-1")), ("K-2", Tickets.Billing("K-2")), ("K-3", Tickets.Billing("K-3")), ("K-4", Tickets.Sales("K-4")) })
        {
            responses[id] = await (await client.PredictAsync(ticket)).ReadJsonAsync();
        }

        string Queue(string id) => responses[id].GetProperty("predictions").GetProperty("queue").GetString()!;
        var elsewhere = Queue("K-4") != Queue("K-1") ? Queue("K-4") : responses["K-1"].GetProperty("alternatives").GetProperty("queue")[1].GetProperty("label").GetString()!;
        // The batched writer may store K-1 and K-2 in different batches, so each feedback waits for its own prediction.
        foreach (var (id, label) in new[] { ("K-1", elsewhere), ("K-2", Queue("K-2")) })
        {
            await Eventually.Async(
                async () => (await client.PostAsJsonAsync("/feedback", new { ticketId = id, head = "queue", label })).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(10),
                $"the prediction of {id} to be stored so feedback can refer to it");
        }

        var routed = responses.Values.Count(r => r.GetProperty("predictions").GetProperty("queue").GetString() == Queue("K-1"));
        var autoApplied = (double)responses.Values.Count(r => r.GetProperty("needsReview").EnumerateObject().All(p => !p.Value.GetBoolean())) / responses.Count;
        IReadOnlyList<PrometheusSample> samples = [];
        await Eventually.Async(
            async () =>
            {
                samples = (await ScrapeAsync(client)).Where(s => s.Has("model", _model)).ToList();
                return samples.Named("otai_kpi_accuracy").Any();
            },
            TimeSpan.FromSeconds(10),
            "the KPI gauges to be refreshed with the feedback");

        var misroute = Assert.Single(samples.Named("otai_kpi_misroute_rate"), s => s.Has("queue", Queue("K-1")));
        Assert.Equal(1.0 / routed, misroute.Value, 9);
        Assert.Equal(ModelFixture.VersionOne, misroute.Labels["version"]);
        Assert.Equal(0.5, Assert.Single(samples.Named("otai_kpi_accuracy"), s => s.Has("head", "queue")).Value, 9);
        Assert.DoesNotContain(samples.Named("otai_kpi_accuracy"), s => s.Has("head", "priority"));
        Assert.Equal(autoApplied, Assert.Single(samples.Named("otai_kpi_auto_applied_share")).Value, 9);
    }

    [Fact]
    public async Task Metrics_counts_labels_beyond_the_cap_as_other()
    {
        await using var factory = NewFactory(new() { ["Metrics:MaxLabelsPerHead"] = "1" });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var manifest = await (await client.GetAsync($"/models/{_model}")).ReadJsonAsync();
        var firstQueue = manifest.GetProperty("manifest").GetProperty("heads").EnumerateArray()
            .Single(h => h.GetProperty("name").GetString() == "queue")
            .GetProperty("labels")[0].GetString();

        var queues = new List<string>();
        foreach (var ticket in new[] { Tickets.Billing(), Tickets.Sales(), Tickets.Technical() })
        {
            queues.Add((await (await client.PredictAsync(ticket)).ReadJsonAsync()).GetProperty("predictions").GetProperty("queue").GetString()!);
        }

        Assert.True(queues.Distinct().Count() > 1, "the tickets should land in at least two queues");
        var series = (await ScrapeAsync(client)).Named("otai_predictions_total")
            .Where(s => s.Has("model", _model) && s.Has("head", "queue"))
            .ToDictionary(s => s.Labels["label"], s => s.Value);
        Assert.Subset(new HashSet<string> { firstQueue!, "other" }, series.Keys.ToHashSet());
        Assert.Equal(queues.Count(q => q != firstQueue), series.GetValueOrDefault("other"));
        Assert.Equal(queues.Count(q => q == firstQueue), series.GetValueOrDefault(firstQueue!));
    }

    [Fact]
    public async Task Metrics_refuses_to_start_with_an_invalid_refresh_interval()
    {
        await using var factory = NewFactory(new() { ["Metrics:KpiRefreshInterval"] = "00:00:00" });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Metrics:KpiRefreshInterval", failure.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<(string Head, string Label), double> ExpectedLabelCounts(IEnumerable<JsonElement> responses)
    {
        var counts = new Dictionary<(string, string), double>();
        foreach (var head in responses.SelectMany(r => r.GetProperty("predictions").EnumerateObject()))
        {
            var labels = head.Value.ValueKind == JsonValueKind.Array
                ? head.Value.EnumerateArray().Select(l => l.GetString()!)
                : [head.Value.GetString()!];
            foreach (var label in labels)
            {
                counts[(head.Name, label)] = counts.GetValueOrDefault((head.Name, label)) + 1;
            }
        }

        return counts;
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(text);
    }

    private ApiFactory NewFactory(Dictionary<string, string?>? settings = null)
    {
        var models = api.Models.NewModelsDirectory();
        ModelFiles.Install(api.Models.ModelOne, models, _model);
        var values = new Dictionary<string, string?>
        {
            ["OpenTicketAI:DefaultModel"] = _model,
            ["Integrations:DataDirectory"] = _data.Path,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return new ApiFactory(models, values);
    }
}
