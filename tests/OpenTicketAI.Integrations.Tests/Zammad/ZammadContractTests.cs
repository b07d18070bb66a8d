using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Zammad;

/// <summary>A Zammad webhook in the documented shape in, the exact REST calls out, against a WireMock Zammad.</summary>
[Collection(ModelCollection.Name)]
public sealed class ZammadContractTests(TrainedModel model)
{
    public const string Secret = "webhook-signature-token";
    public const string Token = "zammad-api-token";

    public static Dictionary<string, string?> Settings(string baseUrl) => new()
    {
        ["Integrations:Zammad:Instances:0:Name"] = "main",
        ["Integrations:Zammad:Instances:0:Enabled"] = "true",
        ["Integrations:Zammad:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:Zammad:Instances:0:Token"] = Token,
        ["Integrations:Zammad:Instances:0:WebhookSecret"] = Secret,
        ["Integrations:Zammad:Instances:0:Heads:0"] = "queue",
        ["Integrations:Zammad:Instances:0:Heads:1"] = "priority",
        ["Integrations:Zammad:Instances:0:Mappings:Queues:Billing"] = "Billing",
        ["Integrations:Zammad:Instances:0:Mappings:Queues:Sales"] = "Sales",
        ["Integrations:Zammad:Instances:0:Mappings:Queues:Needs Review"] = "Triage",
        ["Integrations:Zammad:Instances:0:Mappings:Priorities:low"] = "1 low",
        ["Integrations:Zammad:Instances:0:Mappings:Priorities:medium"] = "2 normal",
        ["Integrations:Zammad:Instances:0:Mappings:Priorities:high"] = "3 high",
        ["Integrations:Zammad:Instances:0:Mappings:Priorities:Urgent"] = "4 urgent",
        ["Integrations:Notifications:Tier-2 Support:Url"] = baseUrl + "hooks/tier2",
        ["Integrations:Rules:0:Name"] = "escalate-high",
        ["Integrations:Rules:0:When"] = "priority == 'High'",
        ["Integrations:Rules:0:Then:0"] = "set priority = 'Urgent'",
        ["Integrations:Rules:0:Then:1"] = "notify Tier-2 Support",
        ["Integrations:Rules:1:Name"] = "billing-queue",
        ["Integrations:Rules:1:When"] = "queue == 'Billing'",
        ["Integrations:Rules:1:Then:0"] = "move to 'Billing'",
        ["Integrations:Rules:1:Then:1"] = "add note 'Open Ticket AI: {queue} ({confidence.queue}), priority {priority}'",
        ["Integrations:Rules:2:Name"] = "vip-attention",
        ["Integrations:Rules:2:When"] = "sentiment == 'Negative'",
        ["Integrations:Rules:2:Then:0"] = "add tag VIP_Attention",
    };

    [Fact]
    public async Task A_new_ticket_webhook_becomes_the_exact_zammad_api_calls()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(81, Tickets.UrgentBilling);

        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "d0a4-81"), ("X-Zammad-Trigger", "Open Ticket AI"));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal(["escalate-high", "billing-queue"], result.Plan!.FiredRules);
        Assert.Equal(3, zammad.Requests.Count);
        var calls = zammad.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();

        Assert.Equal(("PUT", "/api/v1/tickets/81"), (calls[0].Method, calls[0].Path));
        Assert.Equal("""{"group":"Billing","priority":"4 urgent"}""", calls[0].Json);
        Assert.Equal("Token token=" + Token, calls[0].Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", calls[0].Header("Content-Type"));

        Assert.Equal(("POST", "/api/v1/ticket_articles"), (calls[1].Method, calls[1].Path));
        var messageId = Payloads.ZammadNoteMessageId(81, "d0a4-81", 0);
        Assert.Equal(
            $$"""{"ticket_id":81,"subject":"Open Ticket AI","body":"Open Ticket AI: Billing (1.00), priority high","content_type":"text/plain","type":"note","internal":true,"message_id":"{{messageId}}"}""",
            calls[1].Json);
        Assert.Equal("Token token=" + Token, calls[1].Header("Authorization"));

        var notification = Assert.Single(zammad.Requests, r => r.Path == "/hooks/tier2");
        Assert.Equal("POST", notification.Method);
        Assert.Equal(string.Empty, notification.Header("Authorization"));
        Assert.Contains("\"rules\":[\"escalate-high\",\"billing-queue\"]", notification.Json, StringComparison.Ordinal);
        Assert.Contains("\"ticketId\":\"81\"", notification.Json, StringComparison.Ordinal);
        Assert.Contains("\"changes\":{\"queue\":\"Billing\",\"priority\":\"4 urgent\",\"tags\":[]}", notification.Json, StringComparison.Ordinal);

        var delivered = await host.Outbox.ListAsync(OutboxStatus.Delivered, 10, CancellationToken.None);
        Assert.Equal(3, delivered.Count);
        Assert.All(delivered, m => Assert.Equal("d0a4-81", m.DeliveryId));
        Assert.Equal(new WriteBackCheck("api/v1/ticket_articles/by_ticket/81", Payloads.NoteMarker("zammad", "main", 81, "d0a4-81", 0)), Assert.Single(delivered, m => m.Check is not null).Check);
    }

    [Fact]
    public async Task A_negative_ticket_gets_the_vip_tag_and_the_article_text_is_classified_as_plain_text()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(82, Tickets.AngryUrgent, group: "Sales", priority: "3 high");

        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "d-82"));
        await host.DrainedAsync();

        Assert.Equal(["escalate-high", "vip-attention"], result.Plan!.FiredRules);
        Assert.Equal("Hello team, the payment for our invoice was charged twice. This is urgent and critical, blocking us, fix it immediately asap. Terrible, awful, we hate this and are angry.", result.Event!.Body);
        var calls = zammad.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.Equal(("PUT", "/api/v1/tickets/82", """{"priority":"4 urgent"}"""), (calls[0].Method, calls[0].Path, calls[0].Json));
        Assert.Equal(("POST", "/api/v1/tags/add", """{"item":"VIP_Attention","object":"Ticket","o_id":82}"""), (calls[1].Method, calls[1].Path, calls[1].Json));
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_refused_and_nothing_is_enqueued()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(83, Tickets.UrgentBilling);
        var tampered = Payloads.Zammad(84, Tickets.UrgentBilling);

        var wrongKey = await host.PostAsync("zammad", "main", body, ("X-Hub-Signature", Payloads.ZammadSignature(body, "another-token")), ("X-Zammad-Delivery", "a"));
        var otherBody = await host.PostAsync("zammad", "main", tampered, Signed(body), ("X-Zammad-Delivery", "b"));
        var missing = await host.PostAsync("zammad", "main", body, ("X-Zammad-Delivery", "c"));
        var garbage = await host.PostAsync("zammad", "main", body, ("X-Hub-Signature", "sha1=not-hex"), ("X-Zammad-Delivery", "d"));

        Assert.All([wrongKey, otherBody, missing, garbage], r => Assert.Equal(ProcessingStatus.Unauthorized, r.Status));
        Assert.Contains("X-Hub-Signature is missing", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(new OutboxCounts(0, 0, 0), await host.Outbox.CountAsync(CancellationToken.None));
        Assert.False(await host.Deliveries.IsProcessedAsync("zammad", "main", "a", CancellationToken.None));
        await Task.Delay(100);
        Assert.Empty(zammad.Requests);
    }

    [Fact]
    public async Task The_same_delivery_twice_is_written_back_once()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(85, Tickets.Billing);

        var first = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "job-85"));
        await host.DrainedAsync();
        var second = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "job-85"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "job-85b"))));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, first.Status);
        Assert.Equal(ProcessingStatus.Duplicate, second.Status);
        Assert.Single(concurrent, r => r.Status == ProcessingStatus.Processed);
        Assert.Equal(3, concurrent.Count(r => r.Status == ProcessingStatus.Duplicate));
        Assert.Equal(2, zammad.Requests.Count(r => r.Path == "/api/v1/tickets/85"));
    }

    [Fact]
    public async Task Internal_articles_are_ignored_so_our_own_notes_never_loop()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(86, Tickets.UrgentBilling, internalArticle: true);

        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "d-86"));

        Assert.Equal(ProcessingStatus.Ignored, result.Status);
        Assert.Equal(0, (await host.Outbox.CountAsync(CancellationToken.None)).Pending);
    }

    [Fact]
    public async Task An_unmapped_label_is_skipped_and_never_written()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(zammad.BaseUrl));
        var body = Payloads.Zammad(87, Tickets.Technical);

        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "d-87"));
        await host.DrainedAsync();

        Assert.Contains(new SkippedValue("queue", "Technical Support", "no mapping in Mappings:Queues"), result.Plan!.Skipped);
        var update = Assert.Single(zammad.Requests, r => r.Path == "/api/v1/tickets/87");
        Assert.Equal("""{"priority":"4 urgent"}""", update.Json);
        Assert.DoesNotContain(zammad.Requests, r => r.Path.StartsWith("/api/", StringComparison.Ordinal) && (r.Body ?? string.Empty).Contains("Technical Support", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ticket_below_the_review_threshold_goes_to_the_review_queue_with_a_note()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        var settings = Settings(zammad.BaseUrl);
        settings["Integrations:Review:Queue"] = "Needs Review";
        settings["Integrations:Review:Thresholds:queue"] = "0.9";
        settings["Integrations:Review:Note"] = "Open Ticket AI is unsure about {review.heads}; please route this ticket.";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        var body = Payloads.Zammad(88, Tickets.Unsure);

        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", "d-88"));
        await host.DrainedAsync();

        Assert.True(result.Evaluation!.Review.Required);
        var calls = zammad.Requests;
        Assert.Equal("""{"group":"Triage"}""", calls[0].Json); // priority medium maps to "2 normal", which the ticket already has
        var note = Assert.Single(calls, r => r.Path == "/api/v1/ticket_articles");
        Assert.Contains("\"body\":\"Open Ticket AI is unsure about queue; please route this ticket.\"", note.Json, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, r => (r.Body ?? string.Empty).Contains("\"Sales\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_or_disabled_instances_are_not_found()
    {
        using var data = new TempDirectory();
        var settings = Settings("https://zammad.example.com/");
        settings["Integrations:Zammad:Instances:1:Name"] = "old";
        settings["Integrations:Zammad:Instances:1:Enabled"] = "false";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        var body = Payloads.Zammad(89, Tickets.Billing);

        Assert.Equal(ProcessingStatus.NotFound, (await host.PostAsync("zammad", "other", body, Signed(body))).Status);
        Assert.Equal(ProcessingStatus.NotFound, (await host.PostAsync("zammad", "old", body, Signed(body))).Status);
        Assert.Equal(ProcessingStatus.NotFound, (await host.PostAsync("otrs", "main", body, Signed(body))).Status);
    }

    [Fact]
    public async Task A_body_that_is_not_the_payload_is_invalid()
    {
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings("https://zammad.example.com/"));
        byte[] notJson = "ticket=1"u8.ToArray();
        byte[] noTicket = """{"article":{"body":"hi"}}"""u8.ToArray();

        Assert.Equal(ProcessingStatus.Invalid, (await host.PostAsync("zammad", "main", notJson, Signed(notJson))).Status);
        var result = await host.PostAsync("zammad", "main", noTicket, Signed(noTicket));
        Assert.Equal(ProcessingStatus.Invalid, result.Status);
        Assert.Contains("ticket.id", result.Reason, StringComparison.Ordinal);
    }

    private static (string, string) Signed(byte[] body) => (ZammadConnector.SignatureHeader, Payloads.ZammadSignature(body, Secret));
}
