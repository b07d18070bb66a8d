using OpenTicketAI.Integrations.FreeScout;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.FreeScout;

/// <summary>A FreeScout <c>convo.created</c> webhook in the module's shape in, the exact API calls out, against a WireMock FreeScout.</summary>
[Collection(ModelCollection.Name)]
public sealed class FreeScoutContractTests(TrainedModel model)
{
    private const string AppKey = "base64:q3S8B8Ck2zqDW3m3m1m6p0vXkI5tGlbFJQkFv0qPZ8c=";
    private const string ApiKey = "freescout-api-key";

    private static Dictionary<string, string?> Settings(string baseUrl) => new()
    {
        ["Integrations:FreeScout:Instances:0:Name"] = "support",
        ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
        ["Integrations:FreeScout:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:FreeScout:Instances:0:ApiKey"] = ApiKey,
        ["Integrations:FreeScout:Instances:0:AppKey"] = AppKey,
        ["Integrations:FreeScout:Instances:0:UserId"] = "7",
        ["Integrations:FreeScout:Instances:0:Heads:0"] = "queue",
        ["Integrations:FreeScout:Instances:0:Heads:1"] = "priority",
        ["Integrations:FreeScout:Instances:0:Heads:2"] = "tags",
        ["Integrations:FreeScout:Instances:0:Mappings:Queues:Billing"] = "2",
        ["Integrations:FreeScout:Instances:0:Mappings:Priorities:Urgent"] = "urgent",
        ["Integrations:FreeScout:Instances:0:Mappings:Priorities:medium"] = "priority-normal",
        ["Integrations:FreeScout:Instances:0:Mappings:Tags:refund"] = "Refund",
        ["Integrations:Rules:0:Name"] = "escalate-high",
        ["Integrations:Rules:0:When"] = "priority == 'High'",
        ["Integrations:Rules:0:Then:0"] = "set priority = 'Urgent'",
        ["Integrations:Rules:1:Name"] = "billing-queue",
        ["Integrations:Rules:1:When"] = "queue == 'Billing' and confidence.queue >= 0.8",
        ["Integrations:Rules:1:Then:0"] = "move to 'Billing'",
        ["Integrations:Rules:1:Then:1"] = "add note 'Open Ticket AI: {queue} ({confidence.queue})\nrules: {rule}'",
    };

    [Fact]
    public async Task A_new_conversation_becomes_the_exact_freescout_api_calls_keeping_existing_tags()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(freeScout.BaseUrl));
        var body = Payloads.FreeScout(123, Tickets.UrgentBilling, mailboxId: 1, tags: ["existing", "Refund"]);

        var result = await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.created"));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal("convo.created:123", result.Event!.DeliveryId);
        var calls = freeScout.Requests;
        Assert.Equal(3, calls.Count);
        Assert.Equal(("PUT", "/api/conversations/123", """{"mailboxId":2,"byUser":7}"""), (calls[0].Method, calls[0].Path, calls[0].Json));
        Assert.Equal(("PUT", "/api/conversations/123/tags", """{"tags":["existing","Refund","urgent"]}"""), (calls[1].Method, calls[1].Path, calls[1].Json));
        Assert.Equal(
            ("POST", "/api/conversations/123/threads", $$"""{"type":"note","text":"Open Ticket AI: Billing (1.00)<br>rules: billing-queue<!-- {{Payloads.NoteMarker("freescout", "support", 123, "convo.created:123", 0)}} -->","user":7}"""),
            (calls[2].Method, calls[2].Path, calls[2].Json));
        Assert.All(calls, c => Assert.Equal(ApiKey, c.Header("X-FreeScout-API-Key")));
        Assert.All(calls, c => Assert.Equal("application/json; charset=utf-8", c.Header("Content-Type")));
    }

    [Fact]
    public async Task Priority_becomes_a_tag_and_a_conversation_without_tags_gets_only_new_ones()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(freeScout.BaseUrl));
        var body = Payloads.FreeScout(124, Tickets.Billing, mailboxId: 2);

        await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.created"));
        await host.DrainedAsync();

        var tags = Assert.Single(freeScout.Requests, r => r.Path == "/api/conversations/124/tags");
        Assert.Equal("""{"tags":["priority-normal","Refund"]}""", tags.Json);
        Assert.DoesNotContain(freeScout.Requests, r => r.Path == "/api/conversations/124" && r.Method == "PUT");
    }

    [Fact]
    public async Task A_signature_from_the_wrong_key_is_refused_and_a_webhook_secret_works_like_the_app_key()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        var settings = Settings(freeScout.BaseUrl);
        settings.Remove("Integrations:FreeScout:Instances:0:AppKey");
        settings["Integrations:FreeScout:Instances:0:WebhookSecret"] = Payloads.FreeScoutKey(AppKey);
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        var body = Payloads.FreeScout(125, Tickets.Billing);

        var wrong = await host.PostAsync("freescout", "support", body, ("X-FreeScout-Signature", Payloads.FreeScoutSignature(body, Payloads.FreeScoutKey("base64:other"))), ("X-FreeScout-Event", "convo.created"));
        var missing = await host.PostAsync("freescout", "support", body, ("X-FreeScout-Event", "convo.created"));
        var right = await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.created"));

        Assert.Equal(ProcessingStatus.Unauthorized, wrong.Status);
        Assert.Equal(ProcessingStatus.Unauthorized, missing.Status);
        Assert.Equal(ProcessingStatus.Processed, right.Status);
        Assert.Equal(FreeScoutConnector.DeriveSigningKey(AppKey), Payloads.FreeScoutKey(AppKey));
    }

    [Fact]
    public async Task Other_events_are_ignored_and_a_redelivered_conversation_is_written_back_once()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(freeScout.BaseUrl));
        var body = Payloads.FreeScout(126, Tickets.UrgentBilling);

        var note = await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.note.created"));
        var first = await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.created"));
        var retried = await host.PostAsync("freescout", "support", body, Signed(body), ("X-FreeScout-Event", "convo.created"));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Ignored, note.Status);
        Assert.Equal(ProcessingStatus.Processed, first.Status);
        Assert.Equal(ProcessingStatus.Duplicate, retried.Status);
        Assert.Single(freeScout.Requests, r => r.Path == "/api/conversations/126" && r.Method == "PUT");
    }

    private static (string, string) Signed(byte[] body) => (FreeScoutConnector.SignatureHeader, Payloads.FreeScoutSignature(body, Payloads.FreeScoutKey(AppKey)));
}
