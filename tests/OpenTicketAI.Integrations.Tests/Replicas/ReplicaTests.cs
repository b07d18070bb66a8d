using System.Text.Json;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Storage;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Tests.Storage;
using OpenTicketAI.Integrations.Tests.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Replicas;

/// <summary>
/// Three service hosts sharing one PostgreSQL database and one help desk, as replicas behind a load balancer would. Each
/// host is a real generic host with the integrations registered as the service registers them.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ReplicaTests(TrainedModel model) : IAsyncLifetime
{
    private readonly List<IntegrationHost> _hosts = [];
    private readonly List<TempDirectory> _directories = [];

    private PostgreSqlTestDatabase Database { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Database.DisposeAsync();
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }

    [SkippableFact]
    public async Task Webhooks_sent_round_robin_are_written_back_once_in_order_even_when_a_replica_dies_holding_claims()
    {
        const int Tickets = 48;
        // The help desk is down at first, so write-backs are still pending when the dying replica claims some.
        using var zammad = HelpDeskStub.NotStarted();
        var replicas = await StartReplicasAsync(3, ZammadContractTests.Settings(zammad.BaseUrl));
        var deliveries = Enumerable.Range(1, Tickets).Select(t => (Ticket: 500 + t, Delivery: $"d-{t}")).ToList();

        // The first half, then a replica that claims write-backs and dies before sending them, then the second half with
        // every fourth delivery repeated (a help desk retrying after a timeout) to a different replica.
        var first = await SendRoundRobinAsync(replicas, deliveries[..(Tickets / 2)]);
        var dead = new OutboxStore(Database.Open());
        var abandoned = new List<OutboxMessage>();
        await Eventually.Async(
            async () =>
            {
                abandoned.AddRange(await dead.ClaimDueAsync(10, TimeSpan.FromSeconds(1), CancellationToken.None));
                return abandoned.Count > 0;
            },
            TimeSpan.FromSeconds(10),
            "the dying replica's claims");
        zammad.Up();
        var second = await SendRoundRobinAsync(replicas, deliveries[(Tickets / 2)..]);
        var repeats = await SendRoundRobinAsync(replicas.Skip(1).Concat(replicas.Take(1)).ToList(), deliveries.Where((_, i) => i % 4 == 0).ToList());

        Assert.All(first.Concat(second), r => Assert.Equal(ProcessingStatus.Processed, r.Status));
        Assert.All(repeats, r => Assert.Equal(ProcessingStatus.Duplicate, r.Status));
        await Eventually.Async(
            async () => await replicas[0].Outbox.CountAsync(CancellationToken.None) is { Pending: 0, Delivered: Tickets * 3 },
            TimeSpan.FromSeconds(30),
            "every write-back delivered");

        var calls = zammad.Successful.ToList();
        var doubled = calls.GroupBy(c => c.Method + " " + c.Path + " " + c.Body).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var retried = (await replicas[0].Outbox.ListAsync(OutboxStatus.Delivered, Tickets * 3, CancellationToken.None)).Where(m => m.Attempts > 1).Select(m => $"{m.Path} {m.Attempts} {m.LastError}");
        Assert.True(doubled.Count == 0, "sent twice: " + string.Join("; ", doubled) + " retried: " + string.Join("; ", retried));
        Assert.Equal(Tickets, calls.Count(c => c.Path == "/hooks/tier2"));
        foreach (var (ticket, _) in deliveries)
        {
            var update = Assert.Single(calls, c => c.Path == $"/api/v1/tickets/{ticket}");
            var note = Assert.Single(calls, c => c.Path == "/api/v1/ticket_articles" && TicketOf(c) == ticket);
            Assert.True(calls.IndexOf(update) < calls.IndexOf(note), $"ticket {ticket}: the note arrived before the update");
        }

        var taken = await replicas[0].Outbox.ListAsync(OutboxStatus.Delivered, Tickets * 3, CancellationToken.None);
        Assert.All(abandoned, a => Assert.Contains(taken, m => m.Id == a.Id));
    }

    [SkippableFact]
    public async Task When_the_polling_leader_stops_another_replica_takes_over_without_skipping_or_repeating_a_ticket()
    {
        using var zammad = HelpDeskStub.Start();
        RespondWithTickets(zammad, 301, 304);
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Zammad:Instances:0:Polling:Enabled"] = "true";
        settings["Integrations:Zammad:Instances:0:Polling:Interval"] = "00:00:00.100";

        var leader = (await StartReplicasAsync(1, settings))[0];
        await Eventually.Async(() => Task.FromResult(Updates(zammad, 301, 304).All(n => n == 1)), TimeSpan.FromSeconds(15), "the leader's first pass");
        var standby = await StartReplicasAsync(2, settings);
        await Task.Delay(500);
        Assert.True(Updates(zammad, 301, 304).All(n => n == 1), "a standby replica polled while the leader led");

        _hosts.Remove(leader);
        await leader.DisposeAsync();
        RespondWithTickets(zammad, 301, 310);
        await Eventually.Async(() => Task.FromResult(Updates(zammad, 305, 310).All(n => n == 1)), TimeSpan.FromSeconds(15), "a new leader's pass");
        await Task.Delay(500);

        Assert.Equal(Enumerable.Repeat(1, 10), Updates(zammad, 301, 310));
        await using var database = Database.Open();
        Assert.Equal(310, await new PollCursors(database).GetAsync("zammad", "main", CancellationToken.None));
        Assert.Equal(2, standby.Count);
    }

    private async Task<List<IntegrationHost>> StartReplicasAsync(int count, Dictionary<string, string?> settings)
    {
        var started = new List<IntegrationHost>();
        for (var i = 0; i < count; i++)
        {
            var directory = new TempDirectory();
            _directories.Add(directory);
            var values = new Dictionary<string, string?>(settings);
            foreach (var (key, value) in Database.Settings)
            {
                values[key] = value;
            }

            values["Integrations:Outbox:RequestTimeout"] = "00:00:30";
            values["Integrations:Outbox:Lease"] = "00:01:10";
            values["Integrations:Outbox:MaxAttempts"] = "50";
            var host = await IntegrationHost.StartAsync(model.Provider, directory.Path, values);
            _hosts.Add(host);
            started.Add(host);
        }

        return started;
    }

    private static async Task<ProcessingResult[]> SendRoundRobinAsync(List<IntegrationHost> replicas, List<(int Ticket, string Delivery)> deliveries) =>
        await Task.WhenAll(deliveries.Select((d, i) =>
        {
            var body = Payloads.Zammad(d.Ticket, OpenTicketAI.Integrations.Tests.Infrastructure.Tickets.UrgentBilling);
            return replicas[i % replicas.Count].PostAsync("zammad", "main", body, ("X-Hub-Signature", Payloads.ZammadSignature(body, ZammadContractTests.Secret)), ("X-Zammad-Delivery", d.Delivery));
        }));

    private static int? TicketOf(HelpDeskStub.Received call) =>
        call.Body is { } body && JsonDocument.Parse(body).RootElement.TryGetProperty("ticket_id", out var id) ? id.GetInt32() : null;

    private static void RespondWithTickets(HelpDeskStub zammad, int from, int to)
    {
        zammad.Respond("GET", "/api/v1/tickets/search", 200, JsonSerializer.Serialize(Enumerable.Range(from, to - from + 1).Select(id =>
            new { id, number = $"10{id}", title = OpenTicketAI.Integrations.Tests.Infrastructure.Tickets.UrgentBilling.Subject, group = "Service Desk", priority = "2 normal", state = "new" })));
        for (var id = from; id <= to; id++)
        {
            zammad.Respond("GET", $"/api/v1/ticket_articles/by_ticket/{id}", 200, JsonSerializer.Serialize(new[]
            {
                new { id = id * 10, ticket_id = id, body = $"<div>{OpenTicketAI.Integrations.Tests.Infrastructure.Tickets.UrgentBilling.Body}</div>", content_type = "text/html", @internal = false, sender = "Customer" },
            }));
        }
    }

    private static List<int> Updates(HelpDeskStub zammad, int from, int to)
    {
        var calls = zammad.Requests;
        return Enumerable.Range(from, to - from + 1).Select(id => calls.Count(c => c.Method == "PUT" && c.Path == $"/api/v1/tickets/{id}")).ToList();
    }
}
