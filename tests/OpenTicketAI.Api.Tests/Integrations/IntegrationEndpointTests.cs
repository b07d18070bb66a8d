using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Integrations;

/// <summary>The help-desk endpoints through the real service: webhook in, Zammad API calls out to a Kestrel stub, the outbox listing and the rules dry run.</summary>
[Collection(ApiCollection.Name)]
public sealed class IntegrationEndpointTests(ApiFixture api) : IDisposable
{
    private const string Secret = "webhook-signature-token";
    private const string Token = "zammad-api-token";

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_signed_zammad_webhook_is_classified_and_written_back_through_the_outbox()
    {
        await using var zammad = await KestrelHelpDesk.StartAsync();
        await using var factory = Factory(zammad.BaseUrl);
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var body = ZammadPayload(81, "Invoice charged twice", "Hello team, the payment for our last invoice was charged twice to the bank account. Please check the billing and send a receipt.");

        var response = await client.SendAsync(Webhook("/integrations/zammad/main/webhook", body, Sign(body), "delivery-81"));
        var json = await response.ReadJsonAsync();

        Assert.Equal("processed", json.GetProperty("status").GetString());
        Assert.Equal("81", json.GetProperty("ticketId").GetString());
        Assert.Equal("delivery-81", json.GetProperty("deliveryId").GetString());
        Assert.Contains("billing-queue", json.GetProperty("rulesFired").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Billing", json.GetProperty("changes").GetProperty("queue").GetString());
        Assert.Equal("default", json.GetProperty("model").GetProperty("name").GetString());

        await Eventually.Async(async () => (await Outbox(client, "delivered")).GetProperty("items").GetArrayLength() == json.GetProperty("outbox").GetArrayLength(), TimeSpan.FromSeconds(10), "delivery");
        var update = Assert.Single(zammad.Requests, r => r.Path == "/api/v1/tickets/81");
        Assert.Equal("PUT", update.Method);
        Assert.Equal("Token token=" + Token, update.Header("Authorization"));
        Assert.Contains("\"group\":\"Billing\"", update.Body, StringComparison.Ordinal);
        var tag = Assert.Single(zammad.Requests, r => r.Path == "/api/v1/tags/add");
        Assert.Equal("""{"item":"AI_Billing","object":"Ticket","o_id":81}""", tag.Body);

        var again = await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", body, Sign(body), "delivery-81"))).ReadJsonAsync();
        Assert.Equal("duplicate", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_zammad_update_moving_the_ticket_to_another_group_is_answered_with_the_correction_and_counted_as_a_misroute()
    {
        await using var zammad = await KestrelHelpDesk.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Integrations:Zammad:Instances:0:Mappings:Queues:Sales"] = "Sales",
            ["Feedback:ConnectionString"] = $"Data Source={Path.Combine(_data.Path, "feedback.db")}",
        };
        await using var factory = Factory(zammad.BaseUrl, settings, services => services.AddFeedbackStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var created = ZammadPayload(91, "Invoice charged twice", "Hello team, the payment for our last invoice was charged twice to the bank account. Please check the billing and send a receipt.");
        var moved = JsonSerializer.SerializeToUtf8Bytes(new
        {
            ticket = new { id = 91, number = "10091", title = "Invoice charged twice", group = new { id = 4, name = "Sales" }, priority = new { id = 2, name = "2 normal" }, state = "open", updated_at = "2026-01-05T10:00:00Z", updated_by = new { id = 3, login = "emma@example.com" } },
        });

        var classified = await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", created, Sign(created), "create-91"))).ReadJsonAsync();
        var update = Webhook("/integrations/zammad/main/webhook", moved, Sign(moved), "update-91");
        update.Headers.Remove("X-Zammad-Trigger");
        update.Headers.Add("X-Zammad-Trigger", "Open Ticket AI: feedback");
        var answer = await (await client.SendAsync(update)).ReadJsonAsync();

        Assert.Equal("Billing", classified.GetProperty("changes").GetProperty("queue").GetString());
        Assert.Equal("processed", answer.GetProperty("status").GetString());
        Assert.Equal("91", answer.GetProperty("ticketId").GetString());
        Assert.Equal("Sales", answer.GetProperty("feedback").GetProperty("labels").GetProperty("queue").GetString());
        var kpis = await factory.Services.GetRequiredService<IFeedbackStore>().GetKpisAsync(
            new KpiQuery(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, TimeSpan.FromHours(2)), CancellationToken.None);
        var billing = Assert.Single(kpis.Overall.Queues, q => q.Queue == "Billing");
        Assert.Equal((1, 1), (billing.Routed, billing.Misrouted));
    }

    [Fact]
    public async Task An_invalid_signature_is_refused_with_401_problem_details_and_nothing_is_enqueued()
    {
        await using var zammad = await KestrelHelpDesk.StartAsync();
        await using var factory = Factory(zammad.BaseUrl);
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var body = ZammadPayload(82, "Invoice", "invoice payment billing");

        var response = await client.SendAsync(Webhook("/integrations/zammad/main/webhook", body, "sha1=" + new string('0', 40), "delivery-82"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Hub-Signature does not match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var outbox = await Outbox(client, null);
        Assert.Equal(0, outbox.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal(0, outbox.GetProperty("items").GetArrayLength());
        Assert.Empty(zammad.Requests);
    }

    [Fact]
    public async Task Unknown_instances_are_404_and_bodies_that_are_not_the_payload_are_400()
    {
        await using var factory = Factory("https://zammad.example.com/");
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var notJson = Encoding.UTF8.GetBytes("ticket=1");

        await (await client.SendAsync(Webhook("/integrations/zammad/other/webhook", notJson, Sign(notJson), "x"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.SendAsync(Webhook("/integrations/freescout/main/webhook", notJson, Sign(notJson), "x"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", notJson, Sign(notJson), "x"))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Failed_write_backs_are_listed_and_can_be_retried()
    {
        await using var zammad = await KestrelHelpDesk.StartAsync(StatusCodes503);
        await using var factory = Factory(zammad.BaseUrl, new() { ["Integrations:Outbox:MaxAttempts"] = "2" });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var body = ZammadPayload(83, "Invoice charged twice", "Hello team, the payment for our last invoice was charged twice. Please check the billing and send a receipt.");

        await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", body, Sign(body), "delivery-83"))).ReadJsonAsync();
        await Eventually.Async(async () => (await Outbox(client, null)).GetProperty("counts").GetProperty("failed").GetInt64() >= 2, TimeSpan.FromSeconds(10), "failed write-backs");

        var failed = await Outbox(client, "failed");
        var item = failed.GetProperty("items").EnumerateArray().First(i => i.GetProperty("path").GetString() == "api/v1/tickets/83");
        Assert.Equal("Failed", item.GetProperty("status").GetString());
        Assert.Equal(2, item.GetProperty("attempts").GetInt32());
        Assert.Equal(503, item.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("helpdesk:zammad:main", item.GetProperty("target").GetString());

        zammad.Status = 200;
        var retried = await (await client.PostAsync($"/integrations/outbox/{item.GetProperty("id").GetInt64()}/retry", null)).ReadJsonAsync();
        Assert.Equal("Pending", retried.GetProperty("status").GetString());
        await Eventually.Async(() => Task.FromResult(zammad.Requests.Any(r => r.Path == "/api/v1/tickets/83" && r.Status == 200)), TimeSpan.FromSeconds(10), "the retried write-back");
        await (await client.PostAsync("/integrations/outbox/999999/retry", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        var invalid = await (await client.GetAsync("/integrations/outbox?status=lost&limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("pending, delivered or failed", invalid.ErrorsFor("status")[0], StringComparison.Ordinal);
        Assert.Contains("between 1 and 1000", invalid.ErrorsFor("limit")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rules_dry_run_shows_predictions_fired_rules_and_the_write_back_it_would_send()
    {
        await using var factory = Factory("https://zammad.example.com/");
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var json = await (await client.PostAsJsonAsync("/rules/evaluate", Tickets.Billing("T-1"))).ReadJsonAsync();

        Assert.Equal("Billing", json.GetProperty("prediction").GetProperty("predictions").GetProperty("queue").GetString());
        var rules = json.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("fired").GetBoolean());
        Assert.True(rules["billing-queue"]);
        Assert.False(rules["vip-attention-never"]);
        Assert.Contains(json.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "SetQueue" && a.GetProperty("value").GetString() == "Billing");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("writeBack").ValueKind);
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no head 'mood'", StringComparison.Ordinal));

        var preview = await (await client.PostAsJsonAsync("/rules/evaluate?helpdesk=zammad&instance=main", Tickets.Billing("81"))).ReadJsonAsync();
        var requests = preview.GetProperty("writeBack").GetProperty("requests").EnumerateArray().ToList();
        Assert.Contains(requests, r => r.GetProperty("method").GetString() == "PUT" && r.GetProperty("path").GetString() == "api/v1/tickets/81");
        Assert.Contains(requests, r => r.GetProperty("path").GetString() == "api/v1/tags/add" && r.GetProperty("body").GetString()!.Contains("AI_Billing", StringComparison.Ordinal));

        var second = await (await client.PostAsJsonAsync("/rules/evaluate?model=second", Tickets.Billing())).ReadJsonAsync();
        Assert.Equal(ModelFixture.RenamedBillingQueue, second.GetProperty("prediction").GetProperty("predictions").GetProperty("queue").GetString());
        Assert.False(second.GetProperty("rules").EnumerateArray().First(r => r.GetProperty("name").GetString() == "billing-queue").GetProperty("fired").GetBoolean());

        await (await client.PostAsJsonAsync("/rules/evaluate?model=missing", Tickets.Billing())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync("/rules/evaluate?helpdesk=zammad&instance=nope", Tickets.Billing())).AssertProblemAsync(HttpStatusCode.NotFound);
        var invalid = await (await client.PostAsJsonAsync("/rules/evaluate", new { subject = "", body = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(invalid.ErrorsFor("body"));
    }

    [Fact]
    public async Task An_invalid_rule_stops_the_service_at_start_up()
    {
        await using var factory = Factory("https://zammad.example.com/", new() { ["Integrations:Rules:0:When"] = "queue = 'Billing'" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Integrations:Rules:0 ('billing-queue'): When \"queue = 'Billing'\": at position 7: '=' is not an operator; compare with '=='.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_instances_are_listed_without_secrets()
    {
        await using var factory = Factory("https://zammad.example.com/");
        using var client = factory.CreateClient();

        var text = await client.GetStringAsync("/integrations");

        Assert.Contains("\"webhookPath\":\"/integrations/zammad/main/webhook\"", text, StringComparison.Ordinal);
        Assert.Contains("\"helpDesk\":\"freescout\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_znuny_request_is_answered_with_the_keys_znuny_applies_and_the_same_keys_again_on_a_repeat()
    {
        var password = new string('a', 32) + new string('9', 32); // `openssl rand -hex 32`: the header Znuny sends is wrapped
        await using var factory = Factory("https://zammad.example.com/", new Dictionary<string, string?>
        {
            ["Integrations:Znuny:Instances:0:Name"] = "main",
            ["Integrations:Znuny:Instances:0:Enabled"] = "true",
            ["Integrations:Znuny:Instances:0:BaseUrl"] = "https://znuny.example.com/",
            ["Integrations:Znuny:Instances:0:WebhookPassword"] = password,
            ["Integrations:Znuny:Instances:0:Mappings:Priorities:Urgent"] = "5 very high",
            ["Integrations:Znuny:Instances:0:DynamicFields:queue"] = "OTAIQueue",
            ["Integrations:Rules:2:Name"] = "znuny-urgent",
            ["Integrations:Rules:2:When"] = "helpdesk == 'znuny'",
            ["Integrations:Rules:2:Then:0"] = "set priority = 'Urgent'",
            ["Integrations:Rules:2:Then:1"] = "add note 'Open Ticket AI: {queue}'",
        });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            Event = new { TicketID = "77", Event = "TicketCreate" },
            Ticket = new
            {
                TicketID = "77",
                TicketNumber = "2024010100077",
                Title = "Cannot log in",
                Queue = "Raw",
                Priority = "3 normal",
                Article = new { ArticleID = 770, SenderType = "customer", IsVisibleForCustomer = 1, Subject = "Cannot log in", Body = "Since yesterday I cannot log in to my account, the password reset mail never arrives.", ContentType = "text/plain; charset=utf-8" },
                Articles = new[] { new { ArticleID = 770, SenderType = "customer", IsVisibleForCustomer = 1, Subject = "Cannot log in", Body = "Since yesterday I cannot log in to my account, the password reset mail never arrives.", ContentType = "text/plain; charset=utf-8" } },
            },
        });

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/integrations/znuny/main/webhook") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("otai:" + password));
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", $"Basic {encoded[..76]} {encoded[76..]}"));
            return request;
        }

        var response = await client.SendAsync(Request());
        var text = await response.Content.ReadAsStringAsync();
        var again = await (await client.SendAsync(Request())).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("5 very high", json.RootElement.GetProperty("OTRS_TicketPrioritySet").GetString());
        var queue = json.RootElement.GetProperty("OTRS_TicketDynamicFieldSet_OTAIQueue").GetString();
        Assert.False(string.IsNullOrEmpty(queue));
        Assert.Equal("Open Ticket AI", json.RootElement.GetProperty("OTRS_TicketArticleAdd").GetProperty("Subject").GetString());
        Assert.Equal("AddNote", json.RootElement.GetProperty("OTRS_TicketArticleAdd").GetProperty("HistoryType").GetString());
        Assert.Equal("Open Ticket AI: " + queue, json.RootElement.GetProperty("OTRS_TicketArticleAdd").GetProperty("Body").GetString());
        Assert.False(json.RootElement.TryGetProperty("status", out _));
        Assert.Equal(text, again);
    }

    [Fact]
    public async Task A_zammad_ticket_gets_the_suggested_reply_from_the_past_tickets_as_an_internal_note_and_none_when_nothing_is_close()
    {
        await using var zammad = await KestrelHelpDesk.StartAsync();
        await using var factory = Factory(zammad.BaseUrl, new()
        {
            ["Knowledge:Path"] = Path.Combine(_data.Path, "knowledge"),
            ["Integrations:Zammad:Instances:0:Answers:SuggestReply"] = "Always",
        });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var documents = new[] { "The VPN connection drops every few minutes", "Cannot stay connected to the company VPN", "VPN keeps disconnecting when I work from home" }
            .Select((q, i) => new { id = $"vpn-{i}", title = q, body = $"Hello, {q.ToLowerInvariant()}. Please help.", answer = "Update the VPN client to 5.2 and switch the protocol to IKEv2.", queue = "Network", reference = $"#{4000 + i}" })
            .ToArray();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/knowledge/tickets/documents", new { documents })).StatusCode);
        var close = ZammadPayload(95, "VPN disconnects all the time", "My VPN connection keeps dropping when I work from home.");
        var far = ZammadPayload(96, "Recipe for apple pie with cinnamon", "How long should the pie bake?");

        var drafted = await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", close, Sign(close), "delivery-95"))).ReadJsonAsync();
        var abstained = await (await client.SendAsync(Webhook("/integrations/zammad/main/webhook", far, Sign(far), "delivery-96"))).ReadJsonAsync();
        await Eventually.Async(async () => (await Outbox(client, "delivered")).GetProperty("items").GetArrayLength() == drafted.GetProperty("outbox").GetArrayLength() + abstained.GetProperty("outbox").GetArrayLength(), TimeSpan.FromSeconds(10), "delivery");

        var note = Assert.Single(zammad.Requests, r => r.Path == "/api/v1/ticket_articles");
        using var article = JsonDocument.Parse(note.Body);
        Assert.Equal(95, article.RootElement.GetProperty("ticket_id").GetInt32());
        Assert.True(article.RootElement.GetProperty("internal").GetBoolean());
        Assert.Equal("note", article.RootElement.GetProperty("type").GetString());
        var text = article.RootElement.GetProperty("body").GetString()!;
        Assert.StartsWith("Suggested reply (Open Ticket AI draft, not sent to the customer; confidence 0.", text, StringComparison.Ordinal);
        Assert.Contains("\n\nUpdate the VPN client to 5.2 and switch the protocol to IKEv2.\n\nSources: past ticket vpn-", text, StringComparison.Ordinal);
        var skipped = Assert.Single(abstained.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("kind").GetString() == "note");
        Assert.Equal("suggested reply", skipped.GetProperty("label").GetString());
        Assert.StartsWith("nothing close enough (best 0.", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(zammad.Requests, r => r.Path == "/api/v1/ticket_articles" && r.Body.Contains("\"ticket_id\":96", StringComparison.Ordinal));
    }

    private const int StatusCodes503 = 503;

    private ApiFactory Factory(string zammadUrl, Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Integrations:DataDirectory"] = _data.Path,
            ["Integrations:Outbox:InitialDelay"] = "00:00:00.020",
            ["Integrations:Outbox:MaxDelay"] = "00:00:00.100",
            ["Integrations:Outbox:PollInterval"] = "00:00:00.050",
            ["Integrations:Zammad:Instances:0:Enabled"] = "true",
            ["Integrations:Zammad:Instances:0:BaseUrl"] = zammadUrl,
            ["Integrations:Zammad:Instances:0:Token"] = Token,
            ["Integrations:Zammad:Instances:0:WebhookSecret"] = Secret,
            ["Integrations:Zammad:Instances:0:Mappings:Queues:Billing"] = "Billing",
            ["Integrations:Rules:0:Name"] = "billing-queue",
            ["Integrations:Rules:0:When"] = "queue == 'Billing'",
            ["Integrations:Rules:0:Then:0"] = "move to 'Billing'",
            ["Integrations:Rules:0:Then:1"] = "add tag AI_Billing",
            ["Integrations:Rules:1:Name"] = "vip-attention-never",
            ["Integrations:Rules:1:When"] = "mood == 'Negative'",
            ["Integrations:Rules:1:Then:0"] = "add tag VIP_Attention",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new ApiFactory(api.Models.SharedModels, settings, configureServices);
    }

    private static byte[] ZammadPayload(int id, string title, string body) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        ticket = new { id, number = (10000 + id).ToString(System.Globalization.CultureInfo.InvariantCulture), title, group = new { id = 1, name = "Users" }, priority = new { id = 2, name = "2 normal" }, state = "new" },
        article = new { id = 100 + id, ticket_id = id, subject = title, body = $"<div>{body}</div>", content_type = "text/html", sender = "Customer", type = "email", @internal = false },
    });

#pragma warning disable CA5350 // Zammad signs webhooks with HMAC-SHA1.
    private static string Sign(byte[] body) => "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), body));
#pragma warning restore CA5350

    private static HttpRequestMessage Webhook(string path, byte[] body, string signature, string delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature", signature);
        request.Headers.Add("X-Zammad-Delivery", delivery);
        request.Headers.Add("X-Zammad-Trigger", "Open Ticket AI");
        return request;
    }

    private static async Task<JsonElement> Outbox(HttpClient client, string? status) =>
        await (await client.GetAsync(status is null ? "/integrations/outbox" : $"/integrations/outbox?status={status}")).ReadJsonAsync();
}
