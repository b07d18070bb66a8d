using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Dashboard;

/// <summary>The dashboard in real headless Chromium against the real service on a Kestrel port, fed through the HTTP API.</summary>
[Collection(ApiCollection.Name)]
public sealed class DashboardPageTests(ApiFixture api) : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [SkippableFact]
    public async Task Dashboard_charts_the_seeded_predictions_and_misrouting_per_queue_without_console_errors()
    {
        var chromium = Chromium.ExecutablePath();
        await using var factory = NewFactory();
        var baseAddress = factory.StartKestrel();
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        // Seed: eight tickets through the default model, two through the second; then queue feedback on some of them.
        var predicted = new Dictionary<string, string>();
        var seeds = new (string Id, object Ticket)[]
        {
            ("B-1", Tickets.Billing("B-1")), ("B-2", Tickets.Billing("B-2")), ("B-3", Tickets.Billing("B-3")), ("B-4", Tickets.Billing("B-4")),
            ("S-1", Tickets.Sales("S-1")), ("S-2", Tickets.Sales("S-2")),
            ("T-1", Tickets.Technical("T-1")), ("T-2", Tickets.Technical("T-2")),
        };
        foreach (var (id, ticket) in seeds)
        {
            var json = await (await client.PredictAsync(ticket)).ReadJsonAsync();
            predicted[id] = json.GetProperty("predictions").GetProperty("queue").GetString()!;
        }

        // Corrections stay within the default model's queues (feedback must name a label of the model that predicted).
        var queues = predicted.Values.Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var (id, ticket) in new (string, object)[] { ("X-1", Tickets.Sales("X-1")), ("X-2", Tickets.Billing("X-2")) })
        {
            var json = await (await client.PredictAsync(ticket, "/models/second/predict")).ReadJsonAsync();
            predicted[id] = json.GetProperty("predictions").GetProperty("queue").GetString()!;
        }

        await Eventually.Async(async () => await PredictionsInKpisAsync(client) == 10, TimeSpan.FromSeconds(10), "the ten predictions to be stored");

        var feedback = new Dictionary<string, string>
        {
            ["B-1"] = Other(queues, predicted["B-1"]), // misroute
            ["B-2"] = predicted["B-2"],                // confirmed
            ["T-1"] = Other(queues, predicted["T-1"]), // misroute
            ["S-1"] = predicted["S-1"],                // confirmed
        };
        foreach (var (id, label) in feedback)
        {
            using var response = await client.PostAsJsonAsync("/feedback", new { ticketId = id, head = "queue", label, actor = "agent@example.com" });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var expected = predicted.Values.Distinct().ToDictionary(
            q => q,
            q => (Routed: predicted.Count(p => p.Value == q), Misrouted: predicted.Count(p => p.Value == q && feedback.TryGetValue(p.Key, out var l) && l != q)));

        var console = new List<string>();
        var foreignRequests = new List<string>();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1800 } });
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                console.Add($"{message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => console.Add($"page error: {error}");
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).Authority != baseAddress.Authority)
            {
                foreignRequests.Add(request.Url);
            }
        };

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync(new Uri(baseAddress, $"/dashboard?from={today}&to={today}").ToString());
        await page.WaitForSelectorAsync("body[data-loaded='true']", new() { Timeout = 10_000 });

        // Misrouting bars: one per queue, the data and the drawn bar lengths follow the seeded corrections.
        var bars = await page.EvaluateAsync<JsonElement>("""
            () => {
              const chart = Chart.getChart(document.getElementById('chart-misrouting'));
              const meta = chart.getDatasetMeta(0);
              return { labels: chart.data.labels, values: chart.data.datasets[0].data,
                       lengths: meta.data.map(bar => Math.abs(bar.x - bar.base)) };
            }
            """);
        var labels = bars.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var values = bars.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var lengths = bars.GetProperty("lengths").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        Assert.Equal(labels.Count, lengths.Count);
        var longest = lengths.Max();
        Assert.True(longest > 20, $"the highest misroute rate should be drawn as a visible bar, got {longest:0.0} px");
        for (var i = 0; i < labels.Count; i++)
        {
            var (routed, misrouted) = expected[labels[i]];
            var rate = 100.0 * misrouted / routed;
            Assert.Equal(rate, values[i], 6);
            Assert.Equal(rate / values.Max(), lengths[i] / longest, 2);
        }

        var misroutingTable = await RowsAsync(page, "#table-misrouting");
        foreach (var (queue, (routed, misrouted)) in expected)
        {
            Assert.Contains([queue, routed.ToString(System.Globalization.CultureInfo.InvariantCulture), misrouted.ToString(System.Globalization.CultureInfo.InvariantCulture), Percent((double)misrouted / routed)], misroutingTable);
        }

        // Series: one drawn point per bucket of GET /kpis, and the buckets hold every prediction.
        var kpis = await (await client.GetAsync($"/kpis?from={today}T00:00:00Z&to={DateTime.UtcNow.Date.AddDays(1):yyyy-MM-dd}T00:00:00Z&bucket=1h")).ReadJsonAsync();
        var predictionsChart = await page.EvaluateAsync<JsonElement>("""
            () => {
              const chart = Chart.getChart(document.getElementById('chart-predictions'));
              return { drawn: chart.getDatasetMeta(0).data.length, values: chart.data.datasets[0].data };
            }
            """);
        Assert.Equal(kpis.GetProperty("series").GetArrayLength(), predictionsChart.GetProperty("drawn").GetInt32());
        Assert.Equal(10, predictionsChart.GetProperty("values").EnumerateArray().Sum(v => v.GetDouble()));
        var misrouteSeries = await page.EvaluateAsync<double?[]>(
            "() => Chart.getChart(document.getElementById('chart-misroute-rate')).data.datasets[0].data");
        var expectedSeries = kpis.GetProperty("series").EnumerateArray()
            .Select(p => p.GetProperty("misrouteRate") is { ValueKind: JsonValueKind.Number } rate ? rate.GetDouble() * 100 : (double?)null)
            .ToArray();
        Assert.Equal(expectedSeries, misrouteSeries);
        Assert.Contains(misrouteSeries, v => v > 0);

        // Version comparison: both served models, each with its own count.
        var versions = await RowsAsync(page, "#versions");
        Assert.Contains(versions, row => row[0] == "default" && row[1] == ModelFixture.VersionOne && row[2] == "8");
        Assert.Contains(versions, row => row[0] == "second" && row[1] == ModelFixture.VersionTwo && row[2] == "2");

        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ResultsDirectory(), "dashboard.png"), FullPage = true });

        // The model selector refetches /kpis for that model only.
        var refetch = page.WaitForResponseAsync(r => r.Url.Contains("/kpis?", StringComparison.Ordinal) && r.Url.Contains("model=second", StringComparison.Ordinal));
        await page.SelectOptionAsync("#model", "second");
        await page.ClickAsync("#filters button[type=submit]");
        Assert.Equal(200, (await refetch).Status);
        await page.WaitForSelectorAsync("body[data-loaded='true']");
        var secondOnly = await page.EvaluateAsync<double[]>("() => Chart.getChart(document.getElementById('chart-predictions')).data.datasets[0].data");
        Assert.Equal(2, secondOnly.Sum());
        Assert.Contains("for model second", await page.TextContentAsync("#status"), StringComparison.Ordinal);

        Assert.Empty(console);
        Assert.Empty(foreignRequests);
    }

    [SkippableFact]
    public async Task Dashboard_asks_for_a_metrics_key_when_the_service_requires_keys_and_then_shows_the_kpis()
    {
        var chromium = Chromium.ExecutablePath();
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required(new() { ["Integrations:DataDirectory"] = _data.Path }));
        var baseAddress = factory.StartKestrel();
        using var client = factory.CreateClient().WithBearer(TestApiKeys.Predict);
        await factory.WaitUntilReadyAsync();
        await (await client.PredictAsync(Tickets.Billing("K-1"))).ReadJsonAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var page = await browser.NewPageAsync();
        var firstTry = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync(new Uri(baseAddress, "/dashboard").ToString()), r => r.Url.Contains("/kpis?", StringComparison.Ordinal));
        Assert.Equal(401, firstTry.Status);

        await page.WaitForSelectorAsync("#api-key", new() { State = WaitForSelectorState.Visible });
        Assert.Contains("Could not load KPIs", await page.TextContentAsync("#error"), StringComparison.Ordinal);

        await page.FillAsync("#api-key", TestApiKeys.Metrics);
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForSelectorAsync("body[data-loaded='true']", new() { Timeout = 10_000 });
        await Eventually.Async(
            async () =>
            {
                await page.ClickAsync("#filters button[type=submit]");
                await page.WaitForSelectorAsync("body[data-loaded='true']");
                return (await page.EvaluateAsync<double[]>("() => Chart.getChart(document.getElementById('chart-predictions')).data.datasets[0].data")).Sum() == 1;
            },
            TimeSpan.FromSeconds(10),
            "the stored prediction to be charted");
        Assert.True(await page.IsHiddenAsync("#error"));
    }

    [Fact]
    public async Task Dashboard_serves_only_its_own_assets_with_a_strict_content_security_policy()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Integrations:DataDirectory"] = _data.Path });
        using var client = factory.CreateClient();

        using var page = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var script = await client.GetAsync("/dashboard/chart.umd.min.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.StartsWith("/*!\n * Chart.js v4", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await client.GetAsync("/dashboard/appsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<long> PredictionsInKpisAsync(HttpClient client) =>
        (await (await client.GetAsync("/kpis")).ReadJsonAsync()).GetProperty("overall").GetProperty("predictions").GetInt64();

    private static async Task<List<string[]>> RowsAsync(IPage page, string table) =>
        (await page.EvaluateAsync<string[][]>(
            "selector => [...document.querySelectorAll(`${selector} tbody tr`)].map(tr => [...tr.cells].map(c => c.textContent))",
            table)).ToList();

    private static string Percent(double share) => (share * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %";

    private static string Other(List<string> queues, string queue) =>
        queues.FirstOrDefault(q => q != queue) ?? throw new InvalidOperationException("The seeded tickets should land in more than one queue.");

    private ApiFactory NewFactory() => new(api.Models.SharedModels, new Dictionary<string, string?>
    {
        ["Integrations:DataDirectory"] = _data.Path,
    });
}
