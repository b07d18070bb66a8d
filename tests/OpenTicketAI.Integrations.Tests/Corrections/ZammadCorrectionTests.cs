using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Tests.Zammad;
using OpenTicketAI.Integrations.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Corrections;

/// <summary>
/// Zammad's feedback trigger (default payload, signed) against the real SQLite feedback store: agents' group and priority
/// changes become corrections, our own write-back does not, replies and closing give response and resolution times.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ZammadCorrectionTests(TrainedModel model)
{
    private const string FeedbackTrigger = "Open Ticket AI: feedback";
    private const string ApiUser = "otai@example.com";
    private const string Agent = "emma@chrispresso.com";

    private static Dictionary<string, string?> Settings(string baseUrl)
    {
        var settings = ZammadContractTests.Settings(baseUrl);
        settings["Integrations:Zammad:Instances:0:ApiUserLogin"] = ApiUser;
        return settings;
    }

    [Fact]
    public async Task An_agent_moving_a_ticket_to_another_group_is_a_queue_correction_and_a_misroute_of_the_predicted_queue()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var created = await host.PostAsync("zammad", "main", Signed(Payloads.Zammad(81, Tickets.UrgentBilling)), "create-81", "Open Ticket AI");
        Assert.Equal("Billing", created.Plan!.Changes.Queue);
        var moved = Payloads.Zammad(81, Tickets.UrgentBilling, new Payloads.ZammadState("Sales", "4 urgent", State: "open", UpdatedBy: Agent, UpdatedAt: "2020-11-13T15:00:00Z", ArticleSender: null));

        var result = await host.PostAsync("zammad", "main", Signed(moved), "update-81", FeedbackTrigger);
        var replayed = await host.PostAsync("zammad", "main", Signed(moved), "update-81", FeedbackTrigger);

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        var correction = Assert.Single(result.Observation!.Feedback);
        Assert.Equal(new FeedbackRecord(TicketKey.FromHelpDesk("zammad", "main", "81"), "queue", "Sales", Agent, DateTimeOffset.Parse("2020-11-13T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture), FeedbackOrigin.HelpDesk), correction);
        Assert.Equal(ProcessingStatus.Duplicate, replayed.Status);
        var kpis = await Kpis(host);
        var billing = Assert.Single(kpis.Overall.Queues, q => q.Queue == "Billing");
        Assert.Equal((1, 1, 1.0), (billing.Routed, billing.Misrouted, billing.Rate));
        var queue = Assert.Single(kpis.Overall.Heads, h => h.Head == "queue");
        Assert.Equal((1, 0), (queue.Judged, queue.Correct));
        Assert.Equal(1, kpis.Series.Sum(p => p.Corrections));
    }

    [Fact]
    public async Task The_echo_of_our_own_write_back_is_no_correction_even_where_a_rule_overrode_the_model()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var created = await host.PostAsync("zammad", "main", Signed(Payloads.Zammad(82, Tickets.UrgentBilling)), "create-82", "Open Ticket AI");
        Assert.Equal("4 urgent", created.Plan!.Changes.Priority); // the model said high; the rule escalate-high wrote Urgent
        var echo = Payloads.Zammad(82, Tickets.UrgentBilling, new Payloads.ZammadState("Billing", "4 urgent", UpdatedBy: ApiUser, ArticleSender: null));
        var noteEcho = Payloads.Zammad(82, Tickets.UrgentBilling, new Payloads.ZammadState("Billing", "4 urgent", UpdatedBy: ApiUser), internalArticle: true);
        var byApiUser = Payloads.Zammad(82, Tickets.UrgentBilling, new Payloads.ZammadState("Sales", "4 urgent", UpdatedBy: ApiUser, ArticleSender: null));

        var results = new[]
        {
            await host.PostAsync("zammad", "main", Signed(echo), "echo-82", FeedbackTrigger),
            await host.PostAsync("zammad", "main", Signed(noteEcho), "note-82", FeedbackTrigger),
            await host.PostAsync("zammad", "main", Signed(byApiUser), "api-82", FeedbackTrigger),
        };

        Assert.All(results, r => Assert.Equal(ProcessingStatus.Processed, r.Status));
        Assert.All(results, r => Assert.Empty(r.Observation!.Feedback));
        Assert.Contains("queue 'Sales' was set by the service's own user.", results[2].Observation!.Ignored);
        var kpis = await Kpis(host);
        Assert.Equal(0, kpis.Series.Sum(p => p.Corrections));
        Assert.All(kpis.Overall.Heads, h => Assert.Equal(0, h.Judged));
    }

    [Fact]
    public async Task The_first_public_agent_reply_and_closing_give_time_to_first_response_and_resolution_and_confirm_the_queue()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        await host.PostAsync("zammad", "main", Signed(Payloads.Zammad(83, Tickets.Billing, group: "Billing")), "create-83", "Open Ticket AI"); // created 14:34:35.282Z
        var note = Payloads.Zammad(83, Tickets.Billing, new Payloads.ZammadState("Billing", "2 normal", State: "open", UpdatedBy: Agent, ArticleCreatedAt: "2020-11-13T14:50:00Z"), internalArticle: true);
        var reply = Payloads.Zammad(83, Tickets.Billing, new Payloads.ZammadState("Billing", "2 normal", State: "open", UpdatedBy: Agent, ArticleSender: "Agent", ArticleCreatedAt: "2020-11-13T15:34:35.282Z"));
        var secondReply = Payloads.Zammad(83, Tickets.Billing, new Payloads.ZammadState("Billing", "2 normal", State: "open", UpdatedBy: Agent, ArticleSender: "Agent", ArticleCreatedAt: "2020-11-13T16:00:00Z"));
        var closed = Payloads.Zammad(83, Tickets.Billing, new Payloads.ZammadState("Billing", "2 normal", State: "closed", UpdatedBy: Agent, CloseAt: "2020-11-13T17:34:35.282Z", ArticleSender: null));

        var noted = await host.PostAsync("zammad", "main", Signed(note), "note-83", FeedbackTrigger);
        var replied = await host.PostAsync("zammad", "main", Signed(reply), "reply-83", FeedbackTrigger);
        await host.PostAsync("zammad", "main", Signed(secondReply), "reply2-83", FeedbackTrigger);
        var resolved = await host.PostAsync("zammad", "main", Signed(closed), "close-83", FeedbackTrigger);

        Assert.Empty(noted.Observation!.Lifecycle);
        Assert.Equal([TicketLifecycleKind.FirstAgentReply], replied.Observation!.Lifecycle.Select(l => l.Kind));
        Assert.Equal([TicketLifecycleKind.Resolved], resolved.Observation!.Lifecycle.Select(l => l.Kind));
        Assert.Equal(["queue", "priority"], resolved.Observation.Feedback.Select(f => f.Head));
        var kpis = await Kpis(host);
        Assert.Equal(3600, kpis.Overall.MedianTimeToFirstResponseSeconds);
        Assert.Equal(3 * 3600, kpis.Overall.MedianResolutionSeconds);
        var queue = Assert.Single(kpis.Overall.Heads, h => h.Head == "queue");
        Assert.Equal((1, 1), (queue.Judged, queue.Correct));
    }

    [Fact]
    public async Task An_unmapped_group_or_a_ticket_without_a_prediction_records_nothing()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        await host.PostAsync("zammad", "main", Signed(Payloads.Zammad(84, Tickets.UrgentBilling)), "create-84", "Open Ticket AI");
        var unmapped = Payloads.Zammad(84, Tickets.UrgentBilling, new Payloads.ZammadState("Marketing", "4 urgent", UpdatedBy: Agent, ArticleSender: null));
        var unknownTicket = Payloads.Zammad(999, Tickets.UrgentBilling, new Payloads.ZammadState("Sales", "1 low", UpdatedBy: Agent, ArticleSender: "Agent"));

        var ignored = await host.PostAsync("zammad", "main", Signed(unmapped), "update-84", FeedbackTrigger);
        var noPrediction = await host.PostAsync("zammad", "main", Signed(unknownTicket), "update-999", FeedbackTrigger);

        Assert.Empty(ignored.Observation!.Feedback);
        Assert.Contains("queue 'Marketing' maps to no single label in Mappings:Queues.", ignored.Observation.Ignored);
        Assert.Empty(noPrediction.Observation!.Feedback);
        Assert.Empty(noPrediction.Observation.Lifecycle);
        Assert.Null(await host.Feedback.GetLatestPredictionAsync(TicketKey.FromHelpDesk("zammad", "main", "999"), CancellationToken.None));
        var kpis = await Kpis(host);
        Assert.Equal(0, kpis.Series.Sum(p => p.Corrections));
        Assert.Null(kpis.Overall.MedianTimeToFirstResponseSeconds);
    }

    [Fact]
    public async Task A_classified_ticket_is_stored_as_a_prediction_with_its_heads_and_without_text_by_default()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));

        await host.PostAsync("zammad", "main", Signed(Payloads.Zammad(85, Tickets.UrgentBilling)), "create-85", "Open Ticket AI");

        var prediction = await host.Feedback.GetLatestPredictionAsync(TicketKey.FromHelpDesk("zammad", "main", "85"), CancellationToken.None);
        Assert.NotNull(prediction);
        Assert.Equal((TrainedModel.ModelName, "1.0.0"), (prediction.Model, prediction.ModelVersion));
        Assert.Equal(["Billing"], prediction.Heads.Single(h => h.Head == "queue").Labels);
        Assert.Equal(["high"], prediction.Heads.Single(h => h.Head == "priority").Labels);
        Assert.True(prediction.AutoApplied);
        Assert.True(prediction.LatencyMs > 0);
        Assert.Null(prediction.Subject);
        Assert.Null(prediction.Body);
    }

    private static Task<KpiReport> Kpis(IntegrationHost host) =>
        host.Feedback.GetKpisAsync(new KpiQuery(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, TimeSpan.FromHours(2)), CancellationToken.None);

    private static (byte[] Body, (string, string) Signature) Signed(byte[] body) =>
        (body, (ZammadConnector.SignatureHeader, Payloads.ZammadSignature(body, ZammadContractTests.Secret)));
}

internal static class ZammadHostExtensions
{
    public static Task<ProcessingResult> PostAsync(this IntegrationHost host, string helpDesk, string instance, (byte[] Body, (string, string) Signature) signed, string delivery, string trigger) =>
        host.PostAsync(helpDesk, instance, signed.Body, signed.Signature, (ZammadConnector.DeliveryHeader, delivery), (ZammadConnector.TriggerHeader, trigger));
}
