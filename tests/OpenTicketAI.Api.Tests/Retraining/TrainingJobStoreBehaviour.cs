using OpenTicketAI.Api.Retraining;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Api.Versions;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Retraining;

/// <summary>What the training-job store must do, run against SQLite and PostgreSQL. Each <see cref="Replica"/> is a separate handle on one database, on one clock the test moves.</summary>
public abstract class TrainingJobStoreBehaviour : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly List<TrainingJobStore> _opened = [];
    private readonly ManualClock _clock = new();

    protected abstract ITestDatabase Database { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_queued_job_is_readable_from_another_replica_and_its_claimant_gets_the_whole_training_set()
    {
        var a = await ReplicaAsync();
        var b = await ReplicaAsync();
        var request = Request(rows: 30, epochs: 3, seed: 7);

        var (job, busy) = await a.EnqueueAsync(request, CancellationToken.None);
        var seen = await b.FindAsync(job!.Id, CancellationToken.None);
        var claimed = await b.ClaimAsync("b", Lease, 2, CancellationToken.None);

        Assert.Null(busy);
        Assert.Equal(TrainingJobState.Queued, seen!.State);
        Assert.Equal((30, true, "default"), (seen.Rows, seen.FromFeedback, seen.Model));
        Assert.Equal(job.Id, claimed!.Id);
        Assert.Equal((1, null), (claimed.Attempt, claimed.PreviousOwner));
        Assert.Equal((3, 7), (claimed.Request.Epochs!.Value, claimed.Request.Seed!.Value));
        Assert.Equal(request.Data.Rows.Select(r => (r.Text, r.Labels["queue"])), claimed.Request.Data.Rows.Select(r => (r.Text, r.Labels["queue"])));
        Assert.Equal(request.Data.Heads, claimed.Request.Data.Heads);
        var running = await a.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((TrainingJobState.Running, "b", 1), (running!.State, running.Owner, running.Attempts));
    }

    [SkippableFact]
    public async Task Replicas_enqueueing_at_once_queue_one_job_and_the_others_are_told_which()
    {
        var replicas = new[] { await ReplicaAsync(), await ReplicaAsync(), await ReplicaAsync() };

        var results = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => replicas[i % 3].EnqueueAsync(Request(), CancellationToken.None)));

        var queued = Assert.Single(results, r => r.Job is not null).Job!;
        Assert.All(results.Where(r => r.Job is null), r => Assert.Equal(queued.Id, r.Busy!.Id));
    }

    [SkippableFact]
    public async Task Replicas_claiming_at_once_run_a_job_exactly_once()
    {
        var replicas = new[] { await ReplicaAsync(), await ReplicaAsync(), await ReplicaAsync(), await ReplicaAsync() };
        await replicas[0].EnqueueAsync(Request(), CancellationToken.None);

        var claims = await Task.WhenAll(replicas.Select((r, i) => r.ClaimAsync($"r{i}", Lease, 2, CancellationToken.None)));

        Assert.Single(claims, c => c is not null);
    }

    [SkippableFact]
    public async Task A_heartbeat_keeps_the_job_and_shows_its_progress_to_other_replicas()
    {
        var a = await ReplicaAsync();
        var b = await ReplicaAsync();
        var (job, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
        await a.ClaimAsync("a", Lease, 2, CancellationToken.None);

        _clock.Advance(Lease * 0.8);
        Assert.Equal(TrainingJobLease.Held, await a.HeartbeatAsync(job!.Id, "a", Lease, new TrainingJobProgress("train", 2, 5, 10, 40), 12.5, CancellationToken.None));
        _clock.Advance(Lease * 0.8);

        Assert.Null(await b.ClaimAsync("b", Lease, 2, CancellationToken.None));
        var seen = await b.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal(new TrainingJobProgress("train", 2, 5, 10, 40), seen!.Progress);
        Assert.Equal(12.5, seen.EtaSeconds);
    }

    [SkippableFact]
    public async Task A_job_whose_replica_died_is_taken_over_after_its_lease_and_the_old_owner_can_no_longer_save_it()
    {
        var a = await ReplicaAsync();
        var b = await ReplicaAsync();
        var (job, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
        await a.ClaimAsync("a", Lease, 2, CancellationToken.None);

        Assert.Null(await b.ClaimAsync("b", Lease, 2, CancellationToken.None));
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var takenOver = await b.ClaimAsync("b", Lease, 2, CancellationToken.None);

        Assert.Equal((job!.Id, 2, "a"), (takenOver!.Id, takenOver.Attempt, takenOver.PreviousOwner));
        Assert.Equal(TrainingJobLease.Lost, await a.HeartbeatAsync(job.Id, "a", Lease, null, null, CancellationToken.None));
        Assert.False(await a.FinishAsync(job.Id, "a", Succeeded("1.0.1"), CancellationToken.None));
        Assert.True(await b.FinishAsync(job.Id, "b", Succeeded("1.0.2"), CancellationToken.None));
        var finished = await a.FindAsync(job.Id, CancellationToken.None);
        Assert.Equal((TrainingJobState.Succeeded, "1.0.2", "b", 2), (finished!.State, finished.Version, finished.Owner, finished.Attempts));
    }

    [SkippableFact]
    public async Task A_job_interrupted_on_its_last_attempt_is_marked_failed_as_interrupted_and_frees_the_queue()
    {
        var a = await ReplicaAsync();
        var (job, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
        await a.ClaimAsync("dead", Lease, 1, CancellationToken.None);

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Null(await a.ClaimAsync("b", Lease, 1, CancellationToken.None));

        var failed = await a.FindAsync(job!.Id, CancellationToken.None);
        Assert.Equal(TrainingJobState.Failed, failed!.State);
        Assert.StartsWith("interrupted", failed.Error, StringComparison.Ordinal);
        Assert.Contains("dead", failed.Error, StringComparison.Ordinal);
        Assert.NotNull(failed.FinishedAt);
        Assert.NotNull((await a.EnqueueAsync(Request(), CancellationToken.None)).Job);
    }

    [SkippableFact]
    public async Task A_queued_job_is_cancelled_at_once_and_a_running_one_is_flagged_for_its_replica()
    {
        var a = await ReplicaAsync();
        var b = await ReplicaAsync();
        var (queued, _) = await a.EnqueueAsync(Request(), CancellationToken.None);

        var cancelledAtOnce = await b.RequestCancelAsync(queued!.Id, CancellationToken.None);
        Assert.Equal((TrainingJobCancel.Cancelled, TrainingJobState.Cancelled), (cancelledAtOnce.Outcome, cancelledAtOnce.Job!.State));
        Assert.Null(await a.ClaimAsync("a", Lease, 2, CancellationToken.None));

        var (running, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
        await a.ClaimAsync("a", Lease, 2, CancellationToken.None);
        var flagged = await b.RequestCancelAsync(running!.Id, CancellationToken.None);
        Assert.Equal((TrainingJobCancel.Requested, TrainingJobState.Running), (flagged.Outcome, flagged.Job!.State));
        Assert.Equal(TrainingJobLease.CancelRequested, await a.HeartbeatAsync(running.Id, "a", Lease, null, null, CancellationToken.None));
        Assert.True(await a.FinishAsync(running.Id, "a", new TrainingJobOutcome(TrainingJobState.Cancelled, null, null, null, false, null, "cancelled"), CancellationToken.None));

        Assert.Equal(TrainingJobCancel.Finished, (await b.RequestCancelAsync(running.Id, CancellationToken.None)).Outcome);
        Assert.Equal(TrainingJobCancel.NotFound, (await b.RequestCancelAsync("unknown", CancellationToken.None)).Outcome);
    }

    [SkippableFact]
    public async Task A_released_job_goes_back_in_the_queue_without_using_up_an_attempt()
    {
        var a = await ReplicaAsync();
        var b = await ReplicaAsync();
        var (job, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
        await a.ClaimAsync("a", Lease, 1, CancellationToken.None);

        Assert.True(await a.ReleaseAsync(job!.Id, "a", CancellationToken.None));
        var claimed = await b.ClaimAsync("b", Lease, 1, CancellationToken.None);

        Assert.Equal((job.Id, 1, null), (claimed!.Id, claimed.Attempt, claimed.PreviousOwner));
    }

    [SkippableFact]
    public async Task Jobs_are_listed_per_model_newest_first_with_their_results()
    {
        var a = await ReplicaAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (job, _) = await a.EnqueueAsync(Request(), CancellationToken.None);
            ids.Add(job!.Id);
            await a.ClaimAsync("a", Lease, 2, CancellationToken.None);
            await a.FinishAsync(job.Id, "a", Succeeded($"1.0.{i}"), CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await (await ReplicaAsync()).ListAsync("default", 2, CancellationToken.None);

        Assert.Equal([ids[2], ids[1]], listed.Select(j => j.Id));
        Assert.Equal("1.0.2", listed[0].Version);
        Assert.Equal(ShadowSource.HeldOut, listed[0].Shadow!.Source);
        Assert.Equal("done", listed[0].Progress!.Stage);
        Assert.Empty(await a.ListAsync("other", 10, CancellationToken.None));
    }

    private async Task<TrainingJobStore> ReplicaAsync()
    {
        var store = new TrainingJobStore(Database.Open(), _clock);
        _opened.Add(store);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    private static TrainingJobRequest Request(int rows = 5, int? epochs = null, int? seed = null) =>
        new("default", SyntheticTickets.TrainingSet(tickets: rows, tweets: 0, seed: 3), FromFeedback: true, epochs, seed);

    private TrainingJobOutcome Succeeded(string version) => new(
        TrainingJobState.Succeeded,
        new TrainingJobProgress(RunningTrainingJob.DoneStage, 3, 3, 1, 1),
        0,
        version,
        false,
        new ShadowEvaluation(_clock.GetUtcNow(), ShadowSource.HeldOut, 10, "1.0.0", new Dictionary<string, ShadowHeadResult>()),
        null);
}

public sealed class SqliteTrainingJobStoreTests : TrainingJobStoreBehaviour
{
    protected override ITestDatabase Database { get; } = new SqliteTestDatabase();
}

public sealed class PostgreSqlTrainingJobStoreTests : TrainingJobStoreBehaviour
{
    protected override ITestDatabase Database { get; } = new PostgreSqlTestDatabase();
}
