using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Integrations.Polling;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.UvDesk;

/// <summary>UVDesk tickets read by polling (API bundle list and ticket view), the exact PATCH/thread calls out.</summary>
[Collection(ModelCollection.Name)]
public sealed class UvDeskPollingTests(TrainedModel model)
{
    private const string Token = "uvdesk-api-token";

    private static Dictionary<string, string?> Settings(string baseUrl) => new()
    {
        ["Integrations:RunPollers"] = "false",
        ["Integrations:UvDesk:Instances:0:Name"] = "main",
        ["Integrations:UvDesk:Instances:0:Enabled"] = "true",
        ["Integrations:UvDesk:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:UvDesk:Instances:0:Token"] = Token,
        ["Integrations:UvDesk:Instances:0:AgentEmail"] = "ai@example.com",
        ["Integrations:UvDesk:Instances:0:Polling:StartAfterTicketId"] = "9",
        ["Integrations:UvDesk:Instances:0:Heads:0"] = "queue",
        ["Integrations:UvDesk:Instances:0:Heads:1"] = "priority",
        ["Integrations:UvDesk:Instances:0:Mappings:Queues:Billing"] = "2",
        ["Integrations:UvDesk:Instances:0:Mappings:Priorities:medium"] = "2",
        ["Integrations:UvDesk:Instances:0:Mappings:Priorities:high"] = "3",
        ["Integrations:Rules:0:Name"] = "note-every-ticket",
        ["Integrations:Rules:0:When"] = "true",
        ["Integrations:Rules:0:Then:0"] = "add note 'Open Ticket AI: {queue}\npriority {priority}'",
    };

    [Fact]
    public async Task Polled_tickets_become_the_exact_uvdesk_patch_and_thread_calls()
    {
        using var uvdesk = HelpDeskStub.Start();
        using var data = new TempDirectory();
        Page(uvdesk, 1, lastPage: 1, 10);
        Ticket(uvdesk, 10, Tickets.UrgentBilling);
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(uvdesk.BaseUrl));

        var pass = await Poll(host);
        await host.DrainedAsync();

        Assert.Equal(new PollResult(1, 1, 0, true, 10, null), pass);
        var writes = uvdesk.Requests.Where(r => r.Method != "GET").ToList();
        Assert.Equal(3, writes.Count);
        Assert.Equal(("PATCH", "/api/v1/ticket/10", """{"property":"priority","value":3}"""), (writes[0].Method, writes[0].Path, writes[0].Json));
        Assert.Equal(("PATCH", "/api/v1/ticket/10", """{"property":"group","value":2}"""), (writes[1].Method, writes[1].Path, writes[1].Json));
        Assert.Equal(
            ("POST", "/api/v1/ticket/10/thread", $$"""{"threadType":"note","message":"Open Ticket AI: Billing<br>priority high<!-- {{Payloads.NoteMarker("uvdesk", "main", 10, "poll:10", 0)}} -->","actAsType":"agent","actAsEmail":"ai@example.com"}"""),
            (writes[2].Method, writes[2].Path, writes[2].Json));
        Assert.All(uvdesk.Requests, r => Assert.Equal("Bearer " + Token, r.Header("Authorization")));
        Assert.Equal(["/api/v1/tickets", "/api/v1/ticket/10"], uvdesk.Requests.Where(r => r.Method == "GET").Select(r => r.Path));
    }

    [Fact]
    public async Task Polling_never_processes_a_ticket_twice_and_skips_none_across_a_failed_fetch_and_a_restart()
    {
        using var uvdesk = HelpDeskStub.Start();
        using var data = new TempDirectory();
        Page(uvdesk, 1, lastPage: 2, 12, 11);
        uvdesk.Respond("GET", "/api/v1/tickets", 500, """{"error":"down"}""", ("page", "2"));
        Ticket(uvdesk, 10, Tickets.Technical);
        Ticket(uvdesk, 11, Tickets.Billing);
        Ticket(uvdesk, 12, Tickets.UrgentBilling);
        Ticket(uvdesk, 13, Tickets.AngryUrgent);

        await using (var first = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(uvdesk.BaseUrl)))
        {
            var failedMidway = await Poll(first);
            var failedAgain = await Poll(first);
            await first.DrainedAsync();

            Assert.Equal((2, 2, 0, false, 9L), (failedMidway.Fetched, failedMidway.Processed, failedMidway.AlreadyDone, failedMidway.Complete, failedMidway.Cursor));
            Assert.Equal((2, 0, 2, false, 9L), (failedAgain.Fetched, failedAgain.Processed, failedAgain.AlreadyDone, failedAgain.Complete, failedAgain.Cursor));
        }

        // Restart: page 2 answers again and a new ticket arrived on page 1.
        Page(uvdesk, 1, lastPage: 2, 13, 12, 11);
        Page(uvdesk, 2, lastPage: 2, 10);
        await using var second = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(uvdesk.BaseUrl));
        var recovered = await Poll(second);
        var idle = await Poll(second);
        await second.DrainedAsync();

        Assert.Equal((4, 2, 2, true, 13L), (recovered.Fetched, recovered.Processed, recovered.AlreadyDone, recovered.Complete, recovered.Cursor));
        Assert.Equal(new PollResult(0, 0, 0, true, 13, null), idle);
        foreach (var id in new[] { 10, 11, 12, 13 })
        {
            Assert.Single(uvdesk.Requests, r => r.Method == "POST" && r.Path == $"/api/v1/ticket/{id}/thread");
        }

        Assert.Equal(4, uvdesk.Requests.Count(r => r.Method == "POST"));
        Assert.Single(uvdesk.Requests, r => r.Method == "GET" && r.Path == "/api/v1/ticket/10");
    }

    [Fact]
    public async Task A_ticket_list_that_is_not_json_ends_the_pass_incomplete_naming_the_url()
    {
        using var uvdesk = HelpDeskStub.Start();
        using var data = new TempDirectory();
        uvdesk.Respond("GET", "/api/v1/tickets", 200, "<html><body>Down for maintenance</body></html>", ("page", "1"));
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(uvdesk.BaseUrl));

        var pass = await Poll(host);

        Assert.Equal((0, false, 9L), (pass.Fetched, pass.Complete, pass.Cursor));
        Assert.StartsWith($"GET {uvdesk.BaseUrl}api/v1/tickets?page=1 answered 200 with a body that is not JSON", pass.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    public async Task A_refused_token_ends_the_pass_incomplete_naming_the_setting_that_holds_it(int status, string reason)
    {
        using var uvdesk = HelpDeskStub.Start();
        using var data = new TempDirectory();
        uvdesk.Respond("GET", "/api/v1/tickets", status, """{"message":"Invalid credentials"}""", ("page", "1"));
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, Settings(uvdesk.BaseUrl));

        var pass = await Poll(host);

        Assert.Equal((0, false, 9L), (pass.Fetched, pass.Complete, pass.Cursor));
        Assert.StartsWith($"GET {uvdesk.BaseUrl}api/v1/tickets?page=1 answered {status} {reason}", pass.Error, StringComparison.Ordinal);
        Assert.Contains("instance 'main''s credential: check Integrations:UvDesk:Instances:<n>:Token", pass.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, pass.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_help_desk_that_does_not_answer_ends_the_pass_incomplete_naming_the_url_and_the_timeout()
    {
        // Accepts connections (the backlog) but never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/";
        using var data = new TempDirectory();
        var settings = Settings(url);
        settings["Integrations:Outbox:RequestTimeout"] = "00:00:00.300";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);

        var pass = await Poll(host);

        Assert.Equal((0, false, 9L), (pass.Fetched, pass.Complete, pass.Cursor));
        Assert.Equal($"GET {url}api/v1/tickets?page=1 did not answer within 0.3 s", pass.Error);
    }

    private static Task<PollResult> Poll(IntegrationHost host) =>
        host.Services.GetRequiredService<TicketPoller>().PollAsync("uvdesk", "main", CancellationToken.None);

    /// <summary>A page of the API bundle's ticket list (fetchTickets: <c>tickets</c> and <c>pagination</c>).</summary>
    private static void Page(HelpDeskStub stub, int page, int lastPage, params int[] ids) =>
        stub.Respond("GET", "/api/v1/tickets", 200, JsonSerializer.Serialize(new
        {
            tickets = ids.Select(id => new { id, incrementId = id, subject = $"Ticket {id}", isStarred = false, status = new { id = 1, code = "open" } }),
            pagination = new { current = page, lastPage, totalCount = ids.Length, numItemsPerPage = 15 },
        }), ("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The API bundle's ticket view: <c>{ ticket: { …, threads: [ { threadType: create, message } ] } }</c>.</summary>
    private static void Ticket(HelpDeskStub stub, int id, (string Subject, string Body) ticket) =>
        stub.Respond("GET", $"/api/v1/ticket/{id}", 200, JsonSerializer.Serialize(new
        {
            ticket = new
            {
                id,
                incrementId = id,
                subject = ticket.Subject,
                priority = new { id = 1, code = "low" },
                threads = new[] { new { id = id * 10, threadType = "create", createdBy = "customer", message = $"<p>{System.Net.WebUtility.HtmlEncode(ticket.Body)}</p>" } },
            },
        }));
}
