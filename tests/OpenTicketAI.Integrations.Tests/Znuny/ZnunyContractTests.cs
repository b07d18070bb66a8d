using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenTicketAI.Integrations.Tests.Znuny;

/// <summary>A Znuny <c>Ticket::Generic</c> request in, the exact synchronous response keys out; nothing is sent to Znuny.</summary>
[Collection(ModelCollection.Name)]
public sealed class ZnunyContractTests(TrainedModel model)
{
    private const string Password = "requester-password";

    private static Dictionary<string, string?> Settings(string baseUrl) => new()
    {
        ["Integrations:RunPollers"] = "false",
        ["Integrations:Znuny:Instances:0:Name"] = "main",
        ["Integrations:Znuny:Instances:0:Enabled"] = "true",
        ["Integrations:Znuny:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:Znuny:Instances:0:WebhookUser"] = "otai",
        ["Integrations:Znuny:Instances:0:WebhookPassword"] = Password,
        ["Integrations:Znuny:Instances:0:Heads:0"] = "queue",
        ["Integrations:Znuny:Instances:0:Heads:1"] = "priority",
        ["Integrations:Znuny:Instances:0:Mappings:Queues:Billing"] = "Billing",
        ["Integrations:Znuny:Instances:0:Mappings:Priorities:low"] = "2 low",
        ["Integrations:Znuny:Instances:0:Mappings:Priorities:medium"] = "3 normal",
        ["Integrations:Znuny:Instances:0:Mappings:Priorities:high"] = "4 high",
        ["Integrations:Znuny:Instances:0:DynamicFields:queue"] = "OTAIQueue",
        ["Integrations:Znuny:Instances:0:DynamicFields:priority"] = "OTAIPriority",
        ["Integrations:Rules:0:Name"] = "billing-note",
        ["Integrations:Rules:0:When"] = "queue == 'Billing'",
        ["Integrations:Rules:0:Then:0"] = "add note 'Open Ticket AI: {queue} ({confidence.queue}), priority {priority}'",
    };

    [Fact]
    public async Task A_ticket_create_request_is_answered_with_the_exact_znuny_response_keys()
    {
        using var znuny = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(znuny.BaseUrl));

        var result = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4711, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        var response = await Respond(host, result);

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal("TicketCreate:4711", result.Event!.DeliveryId);
        Assert.Equal(
            """{"OTRS_TicketArticleAdd":{"Subject":"Open Ticket AI","Body":"Open Ticket AI: Billing (1.00), priority high","ChannelName":"Internal","IsVisibleForCustomer":0,"SenderType":"agent","From":"Open Ticket AI","MimeType":"text/plain","Charset":"utf-8","HistoryType":"AddNote","HistoryComment":"Open Ticket AI: internal note"},"OTRS_TicketDynamicFieldSet_OTAIPriority":"high","OTRS_TicketDynamicFieldSet_OTAIQueue":"Billing","OTRS_TicketPrioritySet":"4 high","OTRS_TicketQueueSet":"Billing"}""",
            response);
        await Task.Delay(100);
        Assert.Empty(znuny.Requests);
        Assert.Equal(new OutboxCounts(0, 0, 0), await host.Outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_repeated_request_gets_the_same_answer_even_after_a_restart_and_wrong_credentials_are_refused()
    {
        using var znuny = HelpDeskStub.Start();
        using var data = new TempDirectory();
        var body = GenericInterfacePayloads.Znuny(4712, Tickets.Billing, queue: "Billing");
        string first;
        await using (var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(znuny.BaseUrl)))
        {
            var wrong = await host.PostAsync("znuny", "main", body, GenericInterfacePayloads.Basic("otai", "guess"));
            var missing = await host.PostAsync("znuny", "main", body);
            Assert.Equal(ProcessingStatus.Unauthorized, wrong.Status);
            Assert.Equal(ProcessingStatus.Unauthorized, missing.Status);
            Assert.Null(await host.Services.GetRequiredService<SynchronousResponses>().ResolveAsync("znuny", "main", wrong, CancellationToken.None));

            first = await Respond(host, await host.PostAsync("znuny", "main", body, GenericInterfacePayloads.Basic("otai", Password)));
        }

        await using var restarted = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(znuny.BaseUrl));
        var again = await restarted.PostAsync("znuny", "main", body, GenericInterfacePayloads.Basic("otai", Password));

        Assert.Equal(ProcessingStatus.Duplicate, again.Status);
        Assert.Equal(first, await Respond(restarted, again)); // queue Billing and priority "3 normal" are what the ticket has: not set again
        Assert.Equal(
            """{"OTRS_TicketArticleAdd":{"Subject":"Open Ticket AI","Body":"Open Ticket AI: Billing (1.00), priority medium","ChannelName":"Internal","IsVisibleForCustomer":0,"SenderType":"agent","From":"Open Ticket AI","MimeType":"text/plain","Charset":"utf-8","HistoryType":"AddNote","HistoryComment":"Open Ticket AI: internal note"},"OTRS_TicketDynamicFieldSet_OTAIPriority":"medium","OTRS_TicketDynamicFieldSet_OTAIQueue":"Billing"}""",
            first);
    }

    [Fact]
    public async Task The_captured_ticket_generic_request_is_classified_on_its_article_text_not_the_title_alone()
    {
        using var znuny = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(znuny.BaseUrl));

        // The captured request's title is "Help needed"; the customer's words are only in Ticket.Article / Ticket.Articles.
        var result = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4713, ("Help needed", Tickets.UrgentBilling.Body)), GenericInterfacePayloads.Basic("otai", Password));

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal(Tickets.UrgentBilling.Body, result.Event!.Body);
        Assert.Equal(("Billing", "4 high"), (result.Plan!.Changes.Queue, result.Plan.Changes.Priority));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\n")]
    public async Task A_64_character_password_is_accepted_in_the_wrapped_header_perl_sends(string separator)
    {
        var password = new string('7', 32) + new string('c', 32); // like `openssl rand -hex 32`
        var settings = Settings("http://127.0.0.1:9/");
        settings["Integrations:Znuny:Instances:0:WebhookPassword"] = password;
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        var wrapped = GenericInterfacePayloads.BasicAsPerlSendsIt("otai", password, separator);
        Assert.Contains(separator, wrapped.Item2[6..], StringComparison.Ordinal);

        var accepted = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4714, Tickets.Billing), wrapped);
        var shorter = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4715, Tickets.Billing), GenericInterfacePayloads.BasicAsPerlSendsIt("otai", password[..^1], separator));
        var garbage = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4716, Tickets.Billing), ("Authorization", "Basic %%%"));

        Assert.Equal(ProcessingStatus.Processed, accepted.Status);
        Assert.Equal(ProcessingStatus.Unauthorized, shorter.Status);
        Assert.Equal(ProcessingStatus.Unauthorized, garbage.Status);
    }

    [Fact]
    public async Task A_request_without_an_event_name_is_classified_for_a_new_ticket_and_answered_with_nothing_afterwards()
    {
        using var znuny = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(znuny.BaseUrl));

        var created = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4717, Tickets.UrgentBilling, withEventName: false), GenericInterfacePayloads.Basic("otai", Password));
        var later = GenericInterfacePayloads.ZnunyEvent(null, 4717, Tickets.UrgentBilling, "Billing", "4 high", changeBy: "1", changed: "2024-01-01 10:00:05");
        var afterOurAnswer = await host.PostAsync("znuny", "main", later, GenericInterfacePayloads.Basic("otai", Password));
        var named = await host.PostAsync("znuny", "main", GenericInterfacePayloads.Znuny(4718, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        var unnamedAfterNamed = await host.PostAsync("znuny", "main", GenericInterfacePayloads.ZnunyEvent(null, 4718, Tickets.UrgentBilling, "Billing", "4 high", "1", "2024-01-01 10:00:05"), GenericInterfacePayloads.Basic("otai", Password));

        Assert.Equal(ProcessingStatus.Processed, created.Status);
        Assert.Contains("OTRS_TicketArticleAdd", await Respond(host, created), StringComparison.Ordinal);
        Assert.Equal(ProcessingStatus.Duplicate, afterOurAnswer.Status);
        Assert.Equal("{}", await Respond(host, afterOurAnswer));
        Assert.Contains("OTRS_TicketArticleAdd", await Respond(host, named), StringComparison.Ordinal);
        Assert.Equal("{}", await Respond(host, unnamedAfterNamed));
    }

    private static async Task<string> Respond(IntegrationHost host, ProcessingResult result)
    {
        var keys = await host.Services.GetRequiredService<SynchronousResponses>().ResolveAsync("znuny", "main", result, CancellationToken.None);
        Assert.NotNull(keys);
        return System.Text.Json.JsonSerializer.Serialize(keys.Value);
    }
}
