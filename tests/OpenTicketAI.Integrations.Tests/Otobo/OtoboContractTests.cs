using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Otobo;

/// <summary>An OTOBO <c>Ticket::TicketCreate</c> request in, the exact <c>TicketUpdate</c> REST call out, against a WireMock OTOBO.</summary>
[Collection(ModelCollection.Name)]
public sealed class OtoboContractTests(TrainedModel model)
{
    private const string Password = "requester-password";
    private const string AgentPassword = "agent-secret";

    private static Dictionary<string, string?> Settings(string baseUrl) => new()
    {
        ["Integrations:RunPollers"] = "false",
        ["Integrations:Otobo:Instances:0:Name"] = "main",
        ["Integrations:Otobo:Instances:0:Enabled"] = "true",
        ["Integrations:Otobo:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:Otobo:Instances:0:WebhookPassword"] = Password,
        ["Integrations:Otobo:Instances:0:UserLogin"] = "otai-agent",
        ["Integrations:Otobo:Instances:0:Password"] = AgentPassword,
        ["Integrations:Otobo:Instances:0:Heads:0"] = "queue",
        ["Integrations:Otobo:Instances:0:Heads:1"] = "priority",
        ["Integrations:Otobo:Instances:0:Mappings:Queues:Billing"] = "Billing",
        ["Integrations:Otobo:Instances:0:Mappings:Priorities:medium"] = "3 normal",
        ["Integrations:Otobo:Instances:0:Mappings:Priorities:high"] = "4 high",
        ["Integrations:Rules:0:Name"] = "billing-note",
        ["Integrations:Rules:0:When"] = "queue == 'Billing'",
        ["Integrations:Rules:0:Then:0"] = "add note 'Open Ticket AI: {queue} ({confidence.queue})'",
    };

    [Fact]
    public async Task A_ticket_create_request_becomes_the_exact_ticket_update_call_with_credentials_never_stored()
    {
        using var otobo = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(otobo.BaseUrl));

        var result = await host.PostAsync("otobo", "main", GenericInterfacePayloads.Otobo(815, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        var again = await host.PostAsync("otobo", "main", GenericInterfacePayloads.Otobo(815, Tickets.UrgentBilling), GenericInterfacePayloads.Basic("otai", Password));
        await host.DrainedAsync();

        Assert.Equal(ProcessingStatus.Processed, result.Status);
        Assert.Equal(ProcessingStatus.Duplicate, again.Status);
        var call = Assert.Single(otobo.Requests);
        Assert.Equal(("PATCH", "/otobo/nph-genericinterface.pl/Webservice/OpenTicketAI/Ticket/815"), (call.Method, call.Path));
        Assert.Equal(
            """{"UserLogin":"otai-agent","Password":"agent-secret","TicketID":815,"Ticket":{"Queue":"Billing","Priority":"4 high"},"Article":{"Subject":"Open Ticket AI","Body":"Open Ticket AI: Billing (1.00)","ContentType":"text/plain; charset=utf8","CommunicationChannel":"Internal","IsVisibleForCustomer":0,"SenderType":"agent"}}""",
            call.Json);
        Assert.Equal("application/json; charset=utf-8", call.Header("Content-Type"));

        var stored = Assert.Single(await host.Outbox.ListAsync(OutboxStatus.Delivered, 10, CancellationToken.None));
        Assert.DoesNotContain(AgentPassword, stored.Body, StringComparison.Ordinal);
        foreach (var file in new[] { host.Outbox.DatabasePath, host.Outbox.DatabasePath + "-wal" }.Where(File.Exists))
        {
            Assert.DoesNotContain(AgentPassword, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }
}
