using System.Net;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Testing.HelpDesks;

namespace OpenTicketAI.Integrations.Tests.History;

/// <summary>FreeScout's closed conversations read for a knowledge collection, against a server paging as its API module does.</summary>
public sealed class FreeScoutHistoryReaderTests
{
    [Fact]
    public async Task Import_reads_closed_conversations_with_their_first_agent_reply_until_the_last_page()
    {
        await using var freeScout = await FakeFreeScout.StartAsync(ClosedFreeScoutConversations.ApiKey, ClosedFreeScoutConversations.Mailboxes, ClosedFreeScoutConversations.All);
        using var client = FreeScoutHistoryReader.CreateClient(new Uri(freeScout.BaseUrl), freeScout.ApiKey, TimeSpan.FromSeconds(10));
        var reader = new FreeScoutHistoryReader(client, new HistoryReadOptions { PageSize = 2 });

        var tickets = await ReadAllAsync(reader);

        Assert.Equal(["freescout/main:21", "freescout/main:22"], tickets.Select(t => t.Id));
        Assert.Equal(
            new ResolvedTicket("freescout/main:21", "1021", "Cannot log in", "The login page says my session expired.", "Clear your browser cache and log in again.", "Support", tickets[0].Tags, new DateTimeOffset(2026, 3, 4, 8, 0, 0, TimeSpan.Zero)),
            tickets[0]);
        Assert.Equal(["login"], tickets[0].Tags);
        Assert.Equal(
            ("Refund for order 8812", "Please refund order 8812, it arrived broken.", (string?)null, "Billing", new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero)),
            (tickets[1].Subject, tickets[1].Body, tickets[1].Answer, tickets[1].Queue, tickets[1].ResolvedAt));
        Assert.Equal(1, reader.Skipped);

        var lists = freeScout.Lists.ToList();
        Assert.Equal(["1", "2"], lists.Select(l => l.Param("page")));
        Assert.All(lists, l => Assert.Equal(("closed", "threads", "2"), (l.Param("status"), l.Param("embed"), l.Param("pageSize"))));
        Assert.All(freeScout.Requests, r => Assert.Equal(ClosedFreeScoutConversations.ApiKey, r.Header("X-FreeScout-API-Key")));
        Assert.Single(freeScout.Requests, r => r.Path == "/api/mailboxes");
    }

    [Fact]
    public async Task Import_since_a_date_asks_for_conversations_updated_since_then_and_skips_those_closed_before_it()
    {
        // Closed in February, updated in March (a tag added later): listed by updatedSince, skipped by its closing date.
        var retagged = new FakeFreeScoutConversation(25, "closed", new { number = 1025, subject = "Printer jam", mailboxId = 1, closedAt = "2026-02-20T08:00:00Z", updatedAt = "2026-03-02T08:00:00Z" }, []);
        await using var freeScout = await FakeFreeScout.StartAsync(ClosedFreeScoutConversations.ApiKey, ClosedFreeScoutConversations.Mailboxes, [.. ClosedFreeScoutConversations.All, retagged]);
        using var client = FreeScoutHistoryReader.CreateClient(new Uri(freeScout.BaseUrl), freeScout.ApiKey, TimeSpan.FromSeconds(10));
        var reader = new FreeScoutHistoryReader(client, new HistoryReadOptions { Since = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) });

        var tickets = await ReadAllAsync(reader);

        Assert.Equal(["freescout/main:21"], tickets.Select(t => t.Id));
        Assert.Equal((2, "status closed, closed since 2026-03-01"), (reader.Skipped, reader.Selection));
        Assert.All(freeScout.Lists, r => Assert.Equal("2026-03-01T00:00:00Z", r.Param("updatedSince")));
    }

    [Fact]
    public async Task A_refused_api_key_fails_naming_the_url_and_the_status()
    {
        await using var freeScout = await FakeFreeScout.StartAsync(ClosedFreeScoutConversations.ApiKey, ClosedFreeScoutConversations.Mailboxes, ClosedFreeScoutConversations.All);
        using var client = FreeScoutHistoryReader.CreateClient(new Uri(freeScout.BaseUrl), "wrong-key", TimeSpan.FromSeconds(10));
        var reader = new FreeScoutHistoryReader(client, new HistoryReadOptions());

        var error = await Assert.ThrowsAsync<HelpDeskHistoryException>(() => ReadAllAsync(reader));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.StartsWith($"GET {freeScout.BaseUrl}api/conversations?status=closed", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered 401", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<ResolvedTicket>> ReadAllAsync(FreeScoutHistoryReader reader)
    {
        var tickets = new List<ResolvedTicket>();
        await foreach (var ticket in reader.ReadAsync(CancellationToken.None))
        {
            tickets.Add(ticket);
        }

        return tickets;
    }
}
