using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.FreeScout;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Polling;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Answers;

/// <summary>
/// Suggested replies and summaries reach each help desk as an internal note, through the outbox (Znuny: in the synchronous
/// answer), checked in the exact request a WireMock help desk receives: never a customer-visible article.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class AnswerNoteContractTests(TrainedModel model)
{
    private const string Secret = "webhook-signature-token";
    private const string Password = "requester-password";
    private const string FreeScoutAppKey = "base64:q3S8B8Ck2zqDW3m3m1m6p0vXkI5tGlbFJQkFv0qPZ8c=";

    [Fact]
    public async Task Zammad_gets_the_suggested_reply_and_the_summary_as_internal_articles_once_per_delivery()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        var answers = ScriptedAnswers.Answering();
        var settings = Zammad(zammad.BaseUrl, reply: "Always", summary: "Rules");
        settings["Integrations:Rules:0:Name"] = "summarise-billing";
        settings["Integrations:Rules:0:When"] = "queue == 'Billing'";
        settings["Integrations:Rules:0:Then:0"] = "add summary";
        await using var host = await Start(data, settings, answers);
        var body = Payloads.Zammad(91, Tickets.UrgentBilling);

        var first = await host.PostAsync("zammad", "main", body, ZammadSigned(body), ("X-Zammad-Delivery", "answers-91"));
        var again = await host.PostAsync("zammad", "main", body, ZammadSigned(body), ("X-Zammad-Delivery", "answers-91"));
        await host.DrainedAsync();

        Assert.Equal((ProcessingStatus.Processed, ProcessingStatus.Duplicate), (first.Status, again.Status));
        Assert.Equal(2, zammad.Requests.Count);
        Assert.All(zammad.Requests, r => Assert.Equal(("POST", "/api/v1/ticket_articles"), (r.Method, r.Path)));
        Assert.Equal(
            [
                """{"ticket_id":91,"subject":"Open Ticket AI","body":""" + Quoted(AnswerNotesTests.ReplyNote) + ""","content_type":"text/plain","type":"note","internal":true,"message_id":""" + Quoted(Payloads.ZammadNoteMessageId(91, "answers-91", 0)) + "}",
                """{"ticket_id":91,"subject":"Open Ticket AI","body":""" + Quoted(AnswerNotesTests.SummaryNote) + ""","content_type":"text/plain","type":"note","internal":true,"message_id":""" + Quoted(Payloads.ZammadNoteMessageId(91, "answers-91", 1)) + "}",
            ],
            zammad.Requests.Select(r => r.Json));
        Assert.Equal(Tickets.UrgentBilling.Subject, answers.Asked.First().Ticket.Subject);
        Assert.Equal(2, answers.Asked.Count);
        Assert.Equal(2, (await host.Outbox.ListAsync(OutboxStatus.Delivered, 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task When_the_suggester_abstains_zammad_gets_no_note_and_the_plan_says_why()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await Start(data, Zammad(zammad.BaseUrl, reply: "Always"), ScriptedAnswers.Abstaining());
        var body = Payloads.Zammad(92, Tickets.Billing);

        var result = await host.PostAsync("zammad", "main", body, ZammadSigned(body), ("X-Zammad-Delivery", "answers-92"));

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Empty(result.Plan!.Changes.Notes);
        Assert.Contains(new SkippedValue("note", AnswerNotes.ReplyLabel, "nothing close enough (best 0.31 < 0.60)"), result.Plan.Skipped);
        Assert.Equal(new OutboxCounts(0, 0, 0), await host.Outbox.CountAsync(CancellationToken.None));
        await Task.Delay(100);
        Assert.Empty(zammad.Requests);
    }

    [Fact]
    public async Task A_failing_suggester_leaves_the_other_write_backs_alone()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        var settings = Zammad(zammad.BaseUrl, reply: "Always");
        settings["Integrations:Zammad:Instances:0:Heads:0"] = "queue";
        settings["Integrations:Zammad:Instances:0:Mappings:Queues:Billing"] = "Billing";
        await using var host = await Start(data, settings, new ScriptedAnswers(ScriptedAnswers.Draft, ScriptedAnswers.Digest) { Throw = new IOException("index locked") });
        var body = Payloads.Zammad(93, Tickets.Billing);

        var result = await host.PostAsync("zammad", "main", body, ZammadSigned(body), ("X-Zammad-Delivery", "answers-93"));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Contains(new SkippedValue("note", AnswerNotes.ReplyLabel, "failed: index locked"), result.Plan!.Skipped);
        var call = Assert.Single(zammad.Requests);
        Assert.Equal(("PUT", "/api/v1/tickets/93", """{"group":"Billing"}"""), (call.Method, call.Path, call.Json));
    }

    [Fact]
    public async Task FreeScout_gets_the_suggested_reply_as_a_note_thread()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await Start(data, new()
        {
            ["Integrations:FreeScout:Instances:0:Name"] = "support",
            ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
            ["Integrations:FreeScout:Instances:0:BaseUrl"] = freeScout.BaseUrl,
            ["Integrations:FreeScout:Instances:0:ApiKey"] = "freescout-api-key",
            ["Integrations:FreeScout:Instances:0:AppKey"] = FreeScoutAppKey,
            ["Integrations:FreeScout:Instances:0:UserId"] = "7",
            ["Integrations:FreeScout:Instances:0:Answers:SuggestReply"] = "Always",
        });
        var body = Payloads.FreeScout(124, Tickets.UrgentBilling);

        var result = await host.PostAsync(
            "freescout", "support", body, (FreeScoutConnector.SignatureHeader, Payloads.FreeScoutSignature(body, Payloads.FreeScoutKey(FreeScoutAppKey))), ("X-FreeScout-Event", "convo.created"));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        var call = Assert.Single(freeScout.Requests);
        Assert.Equal(("POST", "/api/conversations/124/threads"), (call.Method, call.Path));
        var html = WebUtility.HtmlEncode(AnswerNotesTests.ReplyNote).Replace("\n", "<br>", StringComparison.Ordinal)
            + $"<!-- {Payloads.NoteMarker("freescout", "support", 124, "convo.created:124", 0)} -->";
        Assert.Equal("""{"type":"note","text":""" + Quoted(html) + ""","user":7}""", call.Json);
    }

    [Fact]
    public async Task Otobo_gets_the_suggested_reply_as_an_article_invisible_to_the_customer()
    {
        using var otobo = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await Start(data, new()
        {
            ["Integrations:RunPollers"] = "false",
            ["Integrations:Otobo:Instances:0:Name"] = "main",
            ["Integrations:Otobo:Instances:0:Enabled"] = "true",
            ["Integrations:Otobo:Instances:0:BaseUrl"] = otobo.BaseUrl,
            ["Integrations:Otobo:Instances:0:WebhookPassword"] = Password,
            ["Integrations:Otobo:Instances:0:UserLogin"] = "otai-agent",
            ["Integrations:Otobo:Instances:0:Password"] = "agent-secret",
            ["Integrations:Otobo:Instances:0:Answers:SuggestReply"] = "Always",
        });

        var result = await host.PostAsync("otobo", "main", GenericInterfacePayloads.Otobo(816, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        var call = Assert.Single(otobo.Requests);
        Assert.Equal(("PATCH", "/otobo/nph-genericinterface.pl/Webservice/OpenTicketAI/Ticket/816"), (call.Method, call.Path));
        Assert.Equal(
            """{"UserLogin":"otai-agent","Password":"agent-secret","TicketID":816,"Article":{"Subject":"Open Ticket AI","Body":""" + Quoted(AnswerNotesTests.ReplyNote)
            + ""","ContentType":"text/plain; charset=utf8","CommunicationChannel":"Internal","IsVisibleForCustomer":0,"SenderType":"agent"}}""",
            call.Json);
    }

    [Fact]
    public async Task UvDesk_gets_the_suggested_reply_as_a_note_thread_of_a_polled_ticket()
    {
        using var uvdesk = HelpDeskStub.Start();
        using var data = new TempDirectory();
        uvdesk.Respond("GET", "/api/v1/tickets", 200, JsonSerializer.Serialize(new
        {
            tickets = new[] { new { id = 10, incrementId = 10, subject = "Ticket 10" } },
            pagination = new { current = 1, lastPage = 1, totalCount = 1, numItemsPerPage = 15 },
        }), ("page", "1"));
        uvdesk.Respond("GET", "/api/v1/ticket/10", 200, JsonSerializer.Serialize(new
        {
            ticket = new
            {
                id = 10,
                subject = Tickets.UrgentBilling.Subject,
                threads = new[] { new { id = 100, threadType = "create", createdBy = "customer", message = $"<p>{WebUtility.HtmlEncode(Tickets.UrgentBilling.Body)}</p>" } },
            },
        }));
        await using var host = await Start(data, new()
        {
            ["Integrations:RunPollers"] = "false",
            ["Integrations:UvDesk:Instances:0:Name"] = "main",
            ["Integrations:UvDesk:Instances:0:Enabled"] = "true",
            ["Integrations:UvDesk:Instances:0:BaseUrl"] = uvdesk.BaseUrl,
            ["Integrations:UvDesk:Instances:0:Token"] = "uvdesk-api-token",
            ["Integrations:UvDesk:Instances:0:AgentEmail"] = "ai@example.com",
            ["Integrations:UvDesk:Instances:0:Answers:SuggestReply"] = "Always",
        });

        await host.Services.GetRequiredService<TicketPoller>().PollAsync("uvdesk", "main", CancellationToken.None);
        await host.DrainedAsync();

        var call = Assert.Single(uvdesk.Requests, r => r.Method != "GET");
        var html = WebUtility.HtmlEncode(AnswerNotesTests.ReplyNote).Replace("\n", "<br>", StringComparison.Ordinal)
            + $"<!-- {Payloads.NoteMarker("uvdesk", "main", 10, "poll:10", 0)} -->";
        Assert.Equal(
            ("POST", "/api/v1/ticket/10/thread", """{"threadType":"note","message":""" + Quoted(html) + ""","actAsType":"agent","actAsEmail":"ai@example.com"}"""),
            (call.Method, call.Path, call.Json));
    }

    [Fact]
    public async Task Znuny_is_answered_with_the_suggested_reply_as_an_article_invisible_to_the_customer()
    {
        using var data = new TempDirectory();
        await using var host = await Start(data, new()
        {
            ["Integrations:RunPollers"] = "false",
            ["Integrations:Znuny:Instances:0:Name"] = "main",
            ["Integrations:Znuny:Instances:0:Enabled"] = "true",
            ["Integrations:Znuny:Instances:0:BaseUrl"] = "http://127.0.0.1:9/",
            ["Integrations:Znuny:Instances:0:WebhookUser"] = "otai",
            ["Integrations:Znuny:Instances:0:WebhookPassword"] = Password,
            ["Integrations:Znuny:Instances:0:Answers:SuggestReply"] = "Rules",
            ["Integrations:Rules:0:Name"] = "draft",
            ["Integrations:Rules:0:When"] = "true",
            ["Integrations:Rules:0:Then:0"] = "suggest reply",
        });

        var result = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4720, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        var keys = await host.Services.GetRequiredService<SynchronousResponses>().ResolveAsync("znuny", "main", result, CancellationToken.None);

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal(
            """{"OTRS_TicketArticleAdd":{"Subject":"Open Ticket AI","Body":""" + Quoted(AnswerNotesTests.ReplyNote)
            + ""","ChannelName":"Internal","IsVisibleForCustomer":0,"SenderType":"agent","From":"Open Ticket AI","MimeType":"text/plain","Charset":"utf-8","HistoryType":"AddNote","HistoryComment":"Open Ticket AI: internal note"}}""",
            JsonSerializer.Serialize(keys!.Value, Relaxed));
    }

    private static Dictionary<string, string?> Zammad(string baseUrl, string reply = "Off", string summary = "Off") => new()
    {
        ["Integrations:Zammad:Instances:0:Name"] = "main",
        ["Integrations:Zammad:Instances:0:Enabled"] = "true",
        ["Integrations:Zammad:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:Zammad:Instances:0:Token"] = "zammad-api-token",
        ["Integrations:Zammad:Instances:0:WebhookSecret"] = Secret,
        ["Integrations:Zammad:Instances:0:Answers:SuggestReply"] = reply,
        ["Integrations:Zammad:Instances:0:Answers:Summary"] = summary,
    };

    private Task<IntegrationHost> Start(TempDirectory data, Dictionary<string, string?> settings, ScriptedAnswers? answers = null) =>
        IntegrationHost.StartAsync(model.Provider, data.Path, settings, services => services.AddSingleton<ITicketAnswers>(answers ?? ScriptedAnswers.Answering()));

    private static (string, string) ZammadSigned(byte[] body) => (ZammadConnector.SignatureHeader, Payloads.ZammadSignature(body, Secret));

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quoted(string text) => JsonSerializer.Serialize(text, Relaxed);
}
