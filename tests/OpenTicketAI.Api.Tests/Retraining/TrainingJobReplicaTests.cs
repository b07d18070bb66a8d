using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Api.Retraining;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Testing;
using static OpenTicketAI.Api.Tests.Infrastructure.TrainingUploads;

namespace OpenTicketAI.Api.Tests.Retraining;

/// <summary>Training jobs kept in the database: they outlive a host, a dead host's job is taken over, and replicas share them.</summary>
[Collection(ApiCollection.Name)]
public sealed class TrainingJobReplicaTests(ApiFixture api)
{
    // A short lease and fast heartbeats keep the take-over quick.
    private static readonly Dictionary<string, string?> FastLeases = new()
    {
        ["Training:Lease"] = "00:00:02",
        ["Training:Heartbeat"] = "00:00:00.200",
        ["Training:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task A_finished_job_is_still_readable_after_the_host_restarts()
    {
        await using var database = new SqliteTestDatabase();
        var (directory, _) = InstallVersioned();
        Uri location;
        JsonElement before;
        await using (var first = await StartAsync(directory, database))
        {
            var accepted = await first.CreateClient().PostAsync("/models/default/train", SmallUpload());
            location = accepted.Headers.Location!;
            before = await WaitForJobAsync(first.CreateClient(), location);
        }

        await using var second = await StartAsync(directory, database);
        var client = second.CreateClient();
        var after = await (await client.GetAsync(location)).ReadJsonAsync();
        var listed = await (await client.GetAsync("/models/default/train/jobs")).ReadJsonAsync();

        Assert.True(before.GetProperty("state").GetString() == "Succeeded", before.ToString());
        Assert.Equal("Succeeded", after.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("version").GetString(), after.GetProperty("version").GetString());
        Assert.Equal("HeldOut", after.GetProperty("shadow").GetProperty("source").GetString());
        Assert.Equal(before.GetProperty("id").GetString(), listed.GetProperty("jobs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_running_job_of_a_replica_that_died_is_taken_over_after_its_lease_and_finishes()
    {
        await using var database = new SqliteTestDatabase();
        var (directory, root) = InstallVersioned();
        var id = await ClaimAsDeadReplicaAsync(database, lease: TimeSpan.FromSeconds(1));
        // What the dead replica left behind: a half-written candidate in its work directory.
        Directory.CreateDirectory(Path.Combine(root, TrainingJobWorker.WorkDirectoryPrefix + id, "partial"));

        await using var host = await StartAsync(directory, database);
        var job = await WaitForJobAsync(host.CreateClient(), new Uri($"/models/default/train/jobs/{id}", UriKind.Relative));

        Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal(host.Services.GetRequiredService<TrainingJobs>().Owner, job.GetProperty("owner").GetString());
        Assert.Equal(2, Versions(root).Length);
        Assert.DoesNotContain(Directory.GetDirectories(root), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task A_job_interrupted_on_its_last_attempt_is_reported_failed_and_the_next_job_may_start()
    {
        await using var database = new SqliteTestDatabase();
        var (directory, _) = InstallVersioned();
        var id = await ClaimAsDeadReplicaAsync(database, lease: TimeSpan.FromMilliseconds(500));

        await using var host = await StartAsync(directory, database, new() { ["Training:MaxAttempts"] = "1" });
        var client = host.CreateClient();
        var job = await WaitForJobAsync(client, new Uri($"/models/default/train/jobs/{id}", UriKind.Relative));

        Assert.Equal("Failed", job.GetProperty("state").GetString());
        Assert.StartsWith("interrupted", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("dead-replica", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/models/default/train", SmallUpload())).StatusCode);
    }

    [Fact]
    public async Task A_replica_that_runs_no_jobs_queues_them_for_the_one_that_does()
    {
        await using var database = new SqliteTestDatabase();
        var (directory, root) = InstallVersioned();
        await using var serving = await StartAsync(directory, database, new() { ["Training:RunJobs"] = "false" });
        var location = (await serving.CreateClient().PostAsync("/models/default/train", SmallUpload())).Headers.Location!;
        await Task.Delay(500);
        Assert.Equal("Queued", (await (await serving.CreateClient().GetAsync(location)).ReadJsonAsync()).GetProperty("state").GetString());

        await using var trainer = await StartAsync(directory, database);
        var job = await WaitForJobAsync(serving.CreateClient(), location);

        Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());
        Assert.Equal(trainer.Services.GetRequiredService<TrainingJobs>().Owner, job.GetProperty("owner").GetString());
        Assert.Equal(2, Versions(root).Length);
    }

    [SkippableFact]
    public async Task Two_hosts_on_one_PostgreSQL_see_each_others_jobs_run_each_once_and_cancel_from_either()
    {
        await using var database = new PostgreSqlTestDatabase();
        _ = database.ConnectionString;
        var (directory, root) = InstallVersioned();
        await using var a = await StartAsync(directory, database);
        await using var b = await StartAsync(directory, database);
        var (clientA, clientB) = (a.CreateClient(), b.CreateClient());

        var accepted = await clientA.PostAsync("/models/default/train", SmallUpload());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync(accepted.Headers.Location)).StatusCode);
        var done = await WaitForJobAsync(clientB, accepted.Headers.Location!);

        Assert.True(done.GetProperty("state").GetString() == "Succeeded", done.ToString());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.Equal(2, Versions(root).Length);
        Assert.Equal(await JobIdsAsync(clientA), await JobIdsAsync(clientB));

        // A long job, cancelled through the host that does not run it: the owner sees the flag on its next heartbeat.
        var large = Csv(SyntheticTickets.TrainingSet(tickets: 2000, tweets: 0, seed: 5).Rows);
        var location = (await clientB.PostAsync("/models/default/train", Upload(large, ("label", "queue"), ("epochs", "200")))).Headers.Location!;
        string? owner = null;
        await Eventually.Async(
            async () => (owner = (await (await clientA.GetAsync(location)).ReadJsonAsync()).GetProperty("owner").GetString()) is not null,
            TimeSpan.FromSeconds(20),
            "a host to claim the job");
        var other = owner == a.Services.GetRequiredService<TrainingJobs>().Owner ? clientB : clientA;
        Assert.Equal(HttpStatusCode.Accepted, (await other.DeleteAsync(location)).StatusCode);
        var cancelled = await WaitForJobAsync(other, location);

        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(2, Versions(root).Length);
    }

    private static async Task<ApiFactory> StartAsync(string directory, ITestDatabase database, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(FastLeases);
        foreach (var (key, value) in database.Settings.Concat(extra ?? []))
        {
            settings[key] = value;
        }

        var factory = new ApiFactory(directory, settings);
        await factory.WaitUntilReadyAsync();
        return factory;
    }

    /// <summary>Queues a small job and claims it as a replica that then dies: it never renews the lease (what SIGKILL leaves behind).</summary>
    private static async Task<string> ClaimAsDeadReplicaAsync(SqliteTestDatabase database, TimeSpan lease)
    {
        await using var store = new TrainingJobStore(database.Open(), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        var data = SyntheticTickets.TrainingSet(tickets: 100, tweets: 0, seed: 9);
        data = data with { Heads = [.. data.Heads.Where(h => h.Name == "queue")] };
        var (job, _) = await store.EnqueueAsync(new TrainingJobRequest("default", data, false, 2, null), CancellationToken.None);
        Assert.NotNull(await store.ClaimAsync("dead-replica", lease, 2, CancellationToken.None));
        return job!.Id;
    }

    /// <summary>models/default/1.0.0, active: a layout every replica reads the same way from the start.</summary>
    private (string Directory, string Root) InstallVersioned()
    {
        var directory = api.Models.NewModelsDirectory();
        var root = Directory.CreateDirectory(Path.Combine(directory, "default")).FullName;
        ModelFiles.Install(api.Models.ModelOne, root, ModelFixture.VersionOne);
        File.WriteAllText(Path.Combine(root, "active.json"), $$"""{"active": "{{ModelFixture.VersionOne}}", "changedAt": "2026-01-01T00:00:00Z"}""");
        return (directory, root);
    }

    private static MultipartFormDataContent SmallUpload() =>
        Upload(Csv(SyntheticTickets.TrainingSet(tickets: 100, tweets: 0, seed: 9).Rows), ("label", "queue"), ("epochs", "2"));

    private static async Task<string[]> JobIdsAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/models/default/train/jobs")).ReadJsonAsync()).GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];

    private static string[] Versions(string root) =>
        Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).ToArray();
}
