using System.Text.Json;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Tests.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Polling;

/// <summary>Zammad read by ticket search instead of a trigger, with the background poller running as the service runs it.</summary>
[Collection(ModelCollection.Name)]
public sealed class ZammadPollingTests(TrainedModel model)
{
    [Fact]
    public async Task The_background_poller_reads_zammad_search_results_and_writes_back_once()
    {
        using var zammad = HelpDeskStub.Start();
        using var data = new TempDirectory();
        zammad.Respond("GET", "/api/v1/tickets/search", 200, JsonSerializer.Serialize(new[]
        {
            new { id = 301, number = "10301", title = Tickets.UrgentBilling.Subject, group = "Service Desk", priority = "2 normal", state = "new" },
        }));
        zammad.Respond("GET", "/api/v1/ticket_articles/by_ticket/301", 200, JsonSerializer.Serialize(new[]
        {
            new { id = 3010, ticket_id = 301, body = $"<div>{Tickets.UrgentBilling.Body}</div>", content_type = "text/html", @internal = false, sender = "Customer" },
        }));
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Zammad:Instances:0:Polling:Enabled"] = "true";
        settings["Integrations:Zammad:Instances:0:Polling:Interval"] = "00:00:00.100";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);

        await Eventually.Async(() => Task.FromResult(zammad.Requests.Any(r => r.Path == "/api/v1/tickets/301")), TimeSpan.FromSeconds(10), "the polled ticket's write-back");
        await Task.Delay(400);

        var search = zammad.Requests.First(r => r.Path == "/api/v1/tickets/search");
        Assert.Equal("Token token=" + ZammadContractTests.Token, search.Header("Authorization"));
        var update = Assert.Single(zammad.Requests, r => r.Path == "/api/v1/tickets/301");
        Assert.Equal(("PUT", """{"group":"Billing","priority":"4 urgent"}"""), (update.Method, update.Json));
        Assert.Single(zammad.Requests, r => r.Path == "/api/v1/ticket_articles" && r.Method == "POST");
        Assert.True(zammad.Requests.Count(r => r.Path == "/api/v1/tickets/search") >= 2);
    }
}
