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
            """{"OTRS_TicketQueueSet":"Billing","OTRS_TicketPrioritySet":"4 high","OTRS_TicketDynamicFieldSet_OTAIPriority":"high","OTRS_TicketDynamicFieldSet_OTAIQueue":"Billing","OTRS_TicketArticleAdd":{"Subject":"Open Ticket AI","Body":"Open Ticket AI: Billing (1.00), priority high","ChannelName":"Internal","IsVisibleForCustomer":0,"SenderType":"agent"}}""",
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
            """{"OTRS_TicketDynamicFieldSet_OTAIPriority":"medium","OTRS_TicketDynamicFieldSet_OTAIQueue":"Billing","OTRS_TicketArticleAdd":{"Subject":"Open Ticket AI","Body":"Open Ticket AI: Billing (1.00), priority medium","ChannelName":"Internal","IsVisibleForCustomer":0,"SenderType":"agent"}}""",
            first);
    }

    private static async Task<string> Respond(IntegrationHost host, ProcessingResult result)
    {
        var keys = await host.Services.GetRequiredService<SynchronousResponses>().ResolveAsync("znuny", "main", result, CancellationToken.None);
        Assert.NotNull(keys);
        return System.Text.Json.JsonSerializer.Serialize(keys.Value);
    }
}
