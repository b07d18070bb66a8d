using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Feedback;

[Collection(ApiCollection.Name)]
public sealed class FeedbackEndpointTests(ApiFixture api)
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Served_predictions_are_stored_and_survive_a_host_restart()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Feedback:ConnectionString"] = $"Data Source={data.Combine("feedback.db")}",
            // A gathering delay longer than the shutdown timeout: stopping must cut it short and write, not wait it out.
            ["Feedback:WriteDelayMilliseconds"] = "5000",
            ["OpenTicketAI:ShutdownTimeout"] = "00:00:02",
        };
        await using (var first = new ApiFactory(api.Models.SharedModels, settings))
        {
            using var client = first.CreateClient();
            await first.WaitUntilReadyAsync();
            (await client.PredictAsync(Tickets.Billing("R-1"))).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/predict/batch", new { tickets = new[] { Tickets.Billing("R-2"), Tickets.Sales() } })).EnsureSuccessStatusCode();
            (await client.PredictAsync(Tickets.Billing("R-3"), "/models/second/predict")).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/models/second/predict/batch", new { tickets = new[] { Tickets.Billing("R-4") } })).EnsureSuccessStatusCode();
            // Disposed at once: the worker writes what is still queued while the host stops.
        }

        await using var second = new ApiFactory(api.Models.SharedModels, settings);
        using var restarted = second.CreateClient();
        await second.WaitUntilReadyAsync();
        var store = second.Services.GetRequiredService<IFeedbackStore>();

        var one = await store.GetLatestPredictionAsync(TicketKey.FromApi("R-1"), CancellationToken.None);
        Assert.NotNull(one);
        Assert.Equal(("default", ModelFixture.VersionOne), (one.Model, one.ModelVersion));
        Assert.Contains(one.Heads, h => h.Head == "queue" && h.Labels.Count == 1);
        Assert.Equal(one.Heads.All(h => !h.NeedsReview), one.AutoApplied);
        Assert.Null(one.Subject);
        Assert.Null(one.Body);
        Assert.NotNull(await store.GetLatestPredictionAsync(TicketKey.FromApi("R-2"), CancellationToken.None));
        Assert.Equal(ModelFixture.VersionTwo, (await store.GetLatestPredictionAsync(TicketKey.FromApi("R-3"), CancellationToken.None))?.ModelVersion);
        Assert.Equal("second", (await store.GetLatestPredictionAsync(TicketKey.FromApi("R-4"), CancellationToken.None))?.Model);

        var kpis = await (await restarted.GetAsync("/kpis")).ReadJsonAsync();
        Assert.Equal(5, kpis.GetProperty("overall").GetProperty("predictions").GetInt64());
        Assert.Equal(
            [$"default/{ModelFixture.VersionOne}:3", $"second/{ModelFixture.VersionTwo}:2"],
            kpis.GetProperty("versions").EnumerateArray().Select(v => $"{v.GetProperty("model").GetString()}/{v.GetProperty("modelVersion").GetString()}:{v.GetProperty("predictions").GetInt64()}"));
    }

    [Fact]
    public async Task Feedback_changes_live_accuracy_as_the_kpi_definitions_say()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Feedback:StoreTicketText"] = "true" });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var predicted = new Dictionary<string, JsonElement>();
        foreach (var id in new[] { "A", "B", "C" })
        {
            predicted[id] = await (await client.PredictAsync(Tickets.Billing(id))).ReadJsonAsync();
        }

        var store = factory.Services.GetRequiredService<IFeedbackStore>();
        await Eventually.Async(async () => await store.GetLatestPredictionAsync(TicketKey.FromApi("C"), CancellationToken.None) is not null, StoreTimeout, "the predictions to be stored");
        Assert.Equal("Invoice charged twice", (await store.GetLatestPredictionAsync(TicketKey.FromApi("A"), CancellationToken.None))?.Subject);

        var queueOf = predicted.ToDictionary(p => p.Key, p => p.Value.GetProperty("predictions").GetProperty("queue").GetString()!);
        var otherQueue = predicted["B"].GetProperty("alternatives").GetProperty("queue").EnumerateArray()
            .Select(a => a.GetProperty("label").GetString()!).First(l => l != queueOf["B"]);

        var before = await (await client.GetAsync("/kpis")).ReadJsonAsync();
        var queueBefore = Head(before, "queue");
        Assert.Equal(0, queueBefore.GetProperty("judged").GetInt64());
        Assert.Equal(JsonValueKind.Null, queueBefore.GetProperty("accuracy").ValueKind);

        var confirmA = await (await client.PostAsJsonAsync("/feedback", new { ticketId = "A", head = "queue", label = queueOf["A"], actor = "agent-7" })).ReadJsonAsync();
        var correctB = await (await client.PostAsJsonAsync("/feedback", new { ticketId = "B", source = "api", head = "queue", label = otherQueue })).ReadJsonAsync();
        await (await client.PostAsJsonAsync("/feedback", new { ticketId = "C", head = "queue", label = queueOf["C"] })).ReadJsonAsync();

        Assert.Equal((true, queueOf["A"], false), Outcome(confirmA));
        Assert.Equal((true, queueOf["B"], true), Outcome(correctB));

        // Three judged queue predictions, one corrected: accuracy 2/3; B's predicted queue has one misroute among the three routed there.
        var after = await (await client.GetAsync("/kpis?bucket=1h")).ReadJsonAsync();
        var queue = Head(after, "queue");
        Assert.Equal((3L, 2L), (queue.GetProperty("judged").GetInt64(), queue.GetProperty("correct").GetInt64()));
        Assert.Equal(2.0 / 3, queue.GetProperty("accuracy").GetDouble(), 1e-9);
        var routedThere = after.GetProperty("overall").GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == queueOf["B"]);
        Assert.Equal(1, routedThere.GetProperty("misrouted").GetInt64());
        Assert.Equal(720, after.GetProperty("series").GetArrayLength());

        var repeated = await (await client.PostAsJsonAsync("/feedback", new { ticketId = "B", head = "queue", label = otherQueue })).ReadJsonAsync();
        Assert.False(repeated.GetProperty("stored").GetBoolean());
    }

    [Fact]
    public async Task Feedback_validation_problems_name_the_field()
    {
        var empty = await (await api.Client.PostAsJsonAsync("/feedback", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("ticketId is required.", empty.ErrorsFor("ticketId"));
        Assert.Contains("head is required.", empty.ErrorsFor("head"));
        Assert.Contains("label is required.", empty.ErrorsFor("label"));

        var oversize = await (await api.Client.PostAsJsonAsync("/feedback", new { ticketId = new string('x', 201), source = " ", head = "queue", label = "Billing", actor = new string('a', 201) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 200", oversize.ErrorsFor("ticketId")[0], StringComparison.Ordinal);
        Assert.NotEmpty(oversize.ErrorsFor("source"));
        Assert.NotEmpty(oversize.ErrorsFor("actor"));

        var wrongType = await (await api.Client.PostAsync("/feedback", Tickets.Json("""{"ticketId": 5, "head": "queue", "label": "Billing"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(wrongType.ErrorsFor("ticketId"));

        var unknownTicket = await (await api.Client.PostAsJsonAsync("/feedback", new { ticketId = "never-predicted", head = "queue", label = "Billing" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("never-predicted", unknownTicket.GetProperty("ticketId").GetString());
        Assert.Contains("ticketId 'never-predicted'", unknownTicket.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (await api.Client.PredictAsync(Tickets.Billing("V-1"))).EnsureSuccessStatusCode();
        var store = api.Factory.Services.GetRequiredService<IFeedbackStore>();
        await Eventually.Async(async () => await store.GetLatestPredictionAsync(TicketKey.FromApi("V-1"), CancellationToken.None) is not null, StoreTimeout, "V-1 to be stored");

        var unknownHead = await (await api.Client.PostAsJsonAsync("/feedback", new { ticketId = "V-1", head = "colour", label = "Blue" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("queue", unknownHead.ErrorsFor("head")[0], StringComparison.Ordinal);
        var unknownLabel = await (await api.Client.PostAsJsonAsync("/feedback", new { ticketId = "V-1", head = "queue", label = "Astrology" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Billing", unknownLabel.ErrorsFor("label")[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/kpis?from=yesterday", "from")]
    [InlineData("/kpis?to=2026-13-45", "to")]
    [InlineData("/kpis?from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("/kpis?bucket=30s", "bucket")]
    [InlineData("/kpis?bucket=often", "bucket")]
    [InlineData("/kpis?bucket=1m", "bucket")]
    [InlineData("/kpis?model=..%2Fetc", "model")]
    public async Task Kpis_parameter_errors_name_the_parameter(string url, string field)
    {
        var problem = await (await api.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Kpis_ignore_unknown_parameters_and_default_to_thirty_daily_buckets()
    {
        var report = await (await api.Client.GetAsync("/kpis?colour=blue")).ReadJsonAsync();

        Assert.Equal(30, report.GetProperty("series").GetArrayLength());
        var from = report.GetProperty("from").GetDateTimeOffset();
        var to = report.GetProperty("to").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(30), to - from);
    }

    private static JsonElement Head(JsonElement report, string head) =>
        report.GetProperty("overall").GetProperty("heads").EnumerateArray().Single(h => h.GetProperty("head").GetString() == head);

    private static (bool Stored, string? PredictedLabel, bool IsCorrection) Outcome(JsonElement outcome) =>
        (outcome.GetProperty("stored").GetBoolean(), outcome.GetProperty("predictedLabel").GetString(), outcome.GetProperty("isCorrection").GetBoolean());
}
