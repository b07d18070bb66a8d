using System.Net;
using System.Net.Sockets;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Testing.HelpDesks;

namespace OpenTicketAI.Integrations.Tests.History;

/// <summary>Zammad's closed tickets read for a knowledge collection, against a Kestrel server with Zammad's paging.</summary>
public sealed class ZammadHistoryReaderTests
{
    [Fact]
    public async Task Import_reads_closed_tickets_with_their_first_agent_reply_page_by_page()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        using var client = Client(zammad);
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions { PageSize = 2 });

        var tickets = await ReadAllAsync(reader);

        Assert.Equal(["zammad/main:11", "zammad/main:12", "zammad/main:14", "zammad/main:15"], tickets.Select(t => t.Id));
        Assert.Equal(
            new ResolvedTicket("zammad/main:11", "31011", "VPN drops every hour", "The VPN disconnects every hour since Monday.", "Please update the VPN client to version 5.2.", "Network", tickets[0].Tags, new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)),
            tickets[0]);
        Assert.Equal(["vpn", "remote"], tickets[0].Tags);
        Assert.Equal(
            ("Charged twice", "I was charged twice for invoice 4711.", (string?)null, "Billing", new DateTimeOffset(2026, 2, 10, 8, 0, 0, TimeSpan.Zero)),
            (tickets[1].Subject, tickets[1].Body, tickets[1].Answer, tickets[1].Queue, tickets[1].ResolvedAt));
        Assert.Equal(["refund"], tickets[1].Tags);
        Assert.Null(tickets[2].Answer);
        Assert.Equal(("Reset your password at the portal.", "Accounts"), (tickets[3].Answer, tickets[3].Queue));
        Assert.Equal(1, reader.Skipped);

        var searches = zammad.Searches.ToList();
        Assert.Equal(["1", "2", "3", "4"], searches.Select(s => s.Param("page")));
        Assert.All(searches, s => Assert.Equal(("state.name:closed", "id", "asc", "2", "true"), (s.Param("query"), s.Param("sort_by"), s.Param("order_by"), s.Param("limit"), s.Param("expand"))));
        Assert.All(zammad.Requests, r => Assert.Equal("Token token=" + ClosedZammadTickets.Token, r.Header("Authorization")));
        Assert.Equal(["12"], zammad.Requests.Where(r => r.Path == "/api/v1/tags").Select(r => r.Param("o_id")));
    }

    [Fact]
    public async Task Import_since_a_date_narrows_the_query_and_skips_tickets_closed_before_it()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        using var client = Client(zammad);
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions { Since = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) });

        var tickets = await ReadAllAsync(reader);

        Assert.Equal(["zammad/main:11", "zammad/main:14", "zammad/main:15"], tickets.Select(t => t.Id));
        Assert.Equal(2, reader.Skipped);
        Assert.Equal("(state.name:closed) AND close_at:>=2026-03-01", zammad.Searches.First().Param("query"));
        Assert.DoesNotContain(zammad.Requests, r => r.Path.EndsWith("/by_ticket/12", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_stops_at_the_ticket_limit_without_reading_further_pages()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        using var client = Client(zammad);
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions { PageSize = 2, MaxTickets = 2, Instance = "support", Query = "state.name:closed AND group.name:Network" });

        var tickets = await ReadAllAsync(reader);

        Assert.Equal(["zammad/support:11", "zammad/support:12"], tickets.Select(t => t.Id));
        Assert.Equal([("1", "state.name:closed AND group.name:Network")], zammad.Searches.Select(s => (s.Param("page"), s.Param("query"))));
    }

    [Fact]
    public async Task A_refused_token_fails_naming_the_url_and_the_status()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        using var client = ZammadHistoryReader.CreateClient(new Uri(zammad.BaseUrl), "wrong-token", TimeSpan.FromSeconds(10));
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions());

        var error = await Assert.ThrowsAsync<HelpDeskHistoryException>(() => ReadAllAsync(reader));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.StartsWith($"GET {zammad.BaseUrl}api/v1/tickets/search?query=state.name%3Aclosed", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered 401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_help_desk_that_does_not_answer_fails_after_the_request_timeout()
    {
        // Accepts connections (the backlog) but never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        using var client = ZammadHistoryReader.CreateClient(url, ClosedZammadTickets.Token, TimeSpan.FromMilliseconds(300));
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions());

        var error = await Assert.ThrowsAsync<HelpDeskHistoryException>(() => ReadAllAsync(reader));

        Assert.Contains($"GET {url}api/v1/tickets/search", error.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_read_stops_it_as_cancelled_not_as_a_help_desk_error()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var client = ZammadHistoryReader.CreateClient(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"), ClosedZammadTickets.Token, TimeSpan.FromSeconds(30));
        var reader = new ZammadHistoryReader(client, new HistoryReadOptions());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync(cancel.Token))
            {
            }
        });
    }

    private static HttpClient Client(FakeZammad zammad) => ZammadHistoryReader.CreateClient(new Uri(zammad.BaseUrl), zammad.Token, TimeSpan.FromSeconds(10));

    private static async Task<List<ResolvedTicket>> ReadAllAsync(ZammadHistoryReader reader)
    {
        var tickets = new List<ResolvedTicket>();
        await foreach (var ticket in reader.ReadAsync(CancellationToken.None))
        {
            tickets.Add(ticket);
        }

        return tickets;
    }
}
