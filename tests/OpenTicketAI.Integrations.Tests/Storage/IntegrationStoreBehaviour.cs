using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Tests.Storage;

/// <summary>What the integration stores must do, run against SQLite and PostgreSQL. Each <see cref="Replica"/> is a separate handle on one database.</summary>
public abstract class IntegrationStoreBehaviour : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);
    private readonly List<IntegrationDatabase> _opened = [];

    protected abstract ITestDatabase Database { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_delivery_is_recorded_once_and_a_repeat_stores_no_write_backs()
    {
        var outbox = new OutboxStore(Replica());
        var delivery = new DeliveryRecord("zammad", "main", "d-1", "7");

        var first = await outbox.EnqueueAsync(delivery, [Message("a"), Message("b")], CancellationToken.None);
        var repeat = await new OutboxStore(Replica()).EnqueueAsync(delivery, [Message("c")], CancellationToken.None);

        Assert.Equal(2, first!.Count);
        Assert.Null(repeat);
        Assert.True(await new DeliveryLog(Replica()).IsProcessedAsync("zammad", "main", "d-1", CancellationToken.None));
        Assert.Equal(["a", "b"], (await outbox.ListAsync(null, 10, CancellationToken.None)).Select(m => m.Description).Reverse());
    }

    [SkippableFact]
    public async Task The_same_delivery_enqueued_by_several_replicas_at_once_is_stored_once()
    {
        var replicas = Enumerable.Range(0, 4).Select(_ => new OutboxStore(Replica())).ToList();
        await replicas[0].MigrateAsync(CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            replicas[i % replicas.Count].EnqueueAsync(new DeliveryRecord("zammad", "main", $"d-{i / 4}", $"{i / 4}"), [Message($"m-{i}")], CancellationToken.None)));

        Assert.Equal(5, results.Count(r => r is not null));
        Assert.Equal(5, (await replicas[0].CountAsync(CancellationToken.None)).Pending);
    }

    [SkippableFact]
    public async Task A_ticket_s_write_backs_are_claimed_one_at_a_time_in_order()
    {
        var outbox = new OutboxStore(Replica());
        await outbox.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-1", "7"), [Message("first"), Message("second")], CancellationToken.None);
        await outbox.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-2", "7"), [Message("third")], CancellationToken.None);
        await outbox.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-3", "8"), [Message("other ticket")], CancellationToken.None);

        var order = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var claimed = await outbox.ClaimDueAsync(10, LongLease, CancellationToken.None);
            foreach (var message in claimed)
            {
                order.Add(message.Description);
                Assert.True(await outbox.MarkDeliveredAsync(message.Id, 1, 200, CancellationToken.None));
            }
        }

        Assert.Equal(["first", "other ticket", "second", "third"], order);
    }

    [SkippableFact]
    public async Task Replicas_claiming_at_once_never_share_a_write_back()
    {
        var replicas = Enumerable.Range(0, 3).Select(_ => new OutboxStore(Replica())).ToList();
        for (var ticket = 0; ticket < 60; ticket++)
        {
            await replicas[0].EnqueueAsync(new DeliveryRecord("zammad", "main", $"d-{ticket}", $"{ticket}"), [Message($"t-{ticket}")], CancellationToken.None);
        }

        var claims = await Task.WhenAll(replicas.Select(async r =>
        {
            var mine = new List<long>();
            while (await r.ClaimDueAsync(5, LongLease, CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(m => m.Id));
            }

            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }

    [SkippableFact]
    public async Task A_claim_of_a_replica_that_died_is_taken_over_when_its_lease_runs_out_and_marked_as_maybe_sent()
    {
        var dead = new OutboxStore(Replica());
        var survivor = new OutboxStore(Replica());
        await dead.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-1", "7"), [Message("write-back")], CancellationToken.None);

        var claimed = Assert.Single(await dead.ClaimDueAsync(10, TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.Empty(await survivor.ClaimDueAsync(10, LongLease, CancellationToken.None));
        Assert.True(await survivor.NextDueAsync(CancellationToken.None) >= claimed.ClaimedUntil);

        await Task.Delay(TimeSpan.FromSeconds(2.1));
        var taken = Assert.Single(await survivor.ClaimDueAsync(10, LongLease, CancellationToken.None));
        Assert.Equal(claimed.Id, taken.Id);
        // The dead replica may have sent it before dying: a note is checked on the ticket before it is sent again.
        Assert.False(claimed.MayHaveReached);
        Assert.True(taken.MayHaveReached);
        Assert.False(await dead.MarkDeliveredAsync(claimed.Id, 1, 200, CancellationToken.None));
        Assert.True(await survivor.MarkDeliveredAsync(taken.Id, 1, 200, CancellationToken.None));
        Assert.Equal((0L, 1L), await Counts(survivor));
    }

    [SkippableFact]
    public async Task Released_claims_can_be_claimed_again_at_once()
    {
        var first = new OutboxStore(Replica());
        var second = new OutboxStore(Replica());
        await first.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-1", "7"), [Message("write-back")], CancellationToken.None);
        var claimed = Assert.Single(await first.ClaimDueAsync(10, LongLease, CancellationToken.None));

        await first.ReleaseClaimsAsync([claimed.Id], CancellationToken.None);

        var again = Assert.Single(await second.ClaimDueAsync(10, LongLease, CancellationToken.None));
        Assert.Equal(claimed.Id, again.Id);
        Assert.False(again.MayHaveReached);
    }

    [SkippableFact]
    public async Task A_retry_waits_for_its_time_and_a_failed_write_back_can_be_requeued()
    {
        var outbox = new OutboxStore(Replica());
        await outbox.EnqueueAsync(new DeliveryRecord("zammad", "main", "d-1", "7"), [Message("write-back")], CancellationToken.None);
        var message = Assert.Single(await outbox.ClaimDueAsync(10, LongLease, CancellationToken.None));

        Assert.True(await outbox.MarkRetryAsync(message.Id, 1, DateTimeOffset.UtcNow.AddMinutes(5), 503, "HTTP 503", CancellationToken.None));
        Assert.Empty(await outbox.ClaimDueAsync(10, LongLease, CancellationToken.None));
        Assert.False(await outbox.RequeueAsync(message.Id, CancellationToken.None));

        var stored = Assert.Single(await outbox.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None));
        Assert.Equal((1, 503, "HTTP 503"), (stored.Attempts, stored.LastStatusCode, stored.LastError));
        Assert.True(stored.MayHaveReached);
        Assert.Equal(["zammad-token"], stored.Headers.Values);
    }

    [SkippableFact]
    public async Task Cursors_move_forward_only_replies_keep_the_first_answer_and_ticket_values_update()
    {
        var database = Replica();
        var cursors = new PollCursors(database);
        var replies = new StoredReplies(database);
        var values = new TicketValues(database);

        Assert.Null(await cursors.GetAsync("zammad", "main", CancellationToken.None));
        await cursors.SetAsync("zammad", "main", 10, CancellationToken.None);
        await cursors.SetAsync("zammad", "main", 4, CancellationToken.None);
        await replies.SaveAsync("znuny", "main", "d-1", "{\"a\":1}", CancellationToken.None);
        await replies.SaveAsync("znuny", "main", "d-1", "{\"a\":2}", CancellationToken.None);
        await values.SetAsync("zammad", "main", "7", new Dictionary<string, string?> { ["queue"] = "Billing", ["priority"] = null }, CancellationToken.None);
        await values.SetAsync("zammad", "main", "7", new Dictionary<string, string?> { ["queue"] = "Support" }, CancellationToken.None);

        var reopened = Replica();
        Assert.Equal(10, await new PollCursors(reopened).GetAsync("zammad", "main", CancellationToken.None));
        Assert.Equal("{\"a\":1}", await new StoredReplies(reopened).GetAsync("znuny", "main", "d-1", CancellationToken.None));
        Assert.Equal(new Dictionary<string, string> { ["queue"] = "Support" }, await new TicketValues(reopened).GetAsync("zammad", "main", "7", CancellationToken.None));
    }

    [SkippableFact]
    public async Task A_delivery_without_write_backs_can_be_released_but_one_with_write_backs_cannot()
    {
        var database = Replica();
        var outbox = new OutboxStore(database);
        var deliveries = new DeliveryLog(database);
        var empty = new DeliveryRecord("zammad", "main", "d-empty", "7");
        var full = new DeliveryRecord("zammad", "main", "d-full", "8");
        await outbox.EnqueueAsync(empty, [], CancellationToken.None);
        await outbox.EnqueueAsync(full, [Message("write-back")], CancellationToken.None);

        await deliveries.ReleaseAsync(empty, CancellationToken.None);
        await deliveries.ReleaseAsync(full, CancellationToken.None);

        Assert.False(await deliveries.IsProcessedAsync("zammad", "main", "d-empty", CancellationToken.None));
        Assert.True(await deliveries.IsProcessedAsync("zammad", "main", "d-full", CancellationToken.None));
    }

    [SkippableFact]
    public async Task Migrating_again_applies_each_version_once()
    {
        var database = Replica();
        await database.MigrateAsync(CancellationToken.None);
        await Replica().MigrateAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, IntegrationDatabase.SchemaVersion), await Replica().GetAppliedMigrationsAsync(CancellationToken.None));
    }

    protected IntegrationDatabase Replica()
    {
        var database = Database.Open();
        _opened.Add(database);
        return database;
    }

    private static NewOutboxMessage Message(string description) =>
        new("helpdesk:zammad:main", "PUT", "/api/v1/tickets/7", new Dictionary<string, string> { ["Authorization"] = "zammad-token" }, "{}", description);

    private static async Task<(long Pending, long Delivered)> Counts(OutboxStore outbox)
    {
        var counts = await outbox.CountAsync(CancellationToken.None);
        return (counts.Pending, counts.Delivered);
    }
}

public sealed class SqliteIntegrationStoreTests : IntegrationStoreBehaviour
{
    protected override ITestDatabase Database { get; } = new SqliteTestDatabase();
}

public sealed class PostgreSqlIntegrationStoreTests : IntegrationStoreBehaviour
{
    protected override ITestDatabase Database { get; } = new PostgreSqlTestDatabase();

    [SkippableFact]
    public async Task Only_one_replica_leads_and_another_takes_over_when_the_leader_lets_go()
    {
        var first = Replica().Database;
        var second = Replica().Database;

        var leader = await first.TryAcquireLeadershipAsync("poll:zammad:main", CancellationToken.None);
        Assert.NotNull(leader);
        Assert.Null(await second.TryAcquireLeadershipAsync("poll:zammad:main", CancellationToken.None));
        await using var other = await second.TryAcquireLeadershipAsync("poll:zammad:other", CancellationToken.None);
        Assert.NotNull(other);

        await leader.DisposeAsync();
        await using var next = await second.TryAcquireLeadershipAsync("poll:zammad:main", CancellationToken.None);
        Assert.NotNull(next);
    }
}
