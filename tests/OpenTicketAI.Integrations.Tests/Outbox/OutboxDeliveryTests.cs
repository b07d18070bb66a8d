using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Tests.Zammad;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Outbox;

/// <summary>Delivery that loses nothing: a help desk that is down, slow or restarted still gets every write-back, exactly once.</summary>
[Collection(ModelCollection.Name)]
public sealed class OutboxDeliveryTests(TrainedModel model)
{
    [Fact]
    public async Task Write_backs_are_retried_while_the_help_desk_answers_503_and_delivered_when_it_recovers()
    {
        using var zammad = HelpDeskStub.Start(503);
        using var data = new TempDirectory();
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Outbox:MaxAttempts"] = "50";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);

        await PostAsync(host, 90, "d-90");
        await Eventually.Async(async () => (await Pending(host)).Count(m => m.Attempts >= 2) == 2, TimeSpan.FromSeconds(10), "two failed attempts of the ticket update and the notification");
        var waiting = await Pending(host);
        var update = Assert.Single(waiting, m => m.Path == "api/v1/tickets/90");
        Assert.Equal(503, update.LastStatusCode);
        Assert.StartsWith("HTTP 503", update.LastError, StringComparison.Ordinal);

        // The note waits behind the ticket's update: one ticket's write-backs are applied in order.
        Assert.Equal(0, Assert.Single(waiting, m => m.Path == "api/v1/ticket_articles").Attempts);
        zammad.Answer(200);
        await host.DrainedAsync();

        var delivered = await host.Outbox.ListAsync(OutboxStatus.Delivered, 10, CancellationToken.None);
        Assert.Equal(3, delivered.Count);
        Assert.Equal(3, zammad.Successful.Count);
        Assert.Single(zammad.Successful, r => r.Path == "/api/v1/tickets/90");
    }

    [Fact]
    public async Task Write_backs_wait_for_a_help_desk_that_is_not_running_yet()
    {
        using var zammad = HelpDeskStub.NotStarted();
        using var data = new TempDirectory();
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Outbox:MaxAttempts"] = "50";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);

        await PostAsync(host, 91, "d-91");
        await Eventually.Async(async () => (await Pending(host)).Any(m => m.Attempts >= 1 && m.LastStatusCode is null), TimeSpan.FromSeconds(10), "a refused connection");
        zammad.Up();
        await host.DrainedAsync();

        Assert.Equal(3, zammad.Successful.Count);
    }

    [Fact]
    public async Task Pending_write_backs_survive_a_restart_and_are_delivered_once_by_the_next_host()
    {
        using var zammad = HelpDeskStub.Start(503);
        using var data = new TempDirectory();
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Outbox:MaxAttempts"] = "50";
        await using (var first = await IntegrationHost.StartAsync(model.Provider, data.Path, settings))
        {
            await PostAsync(first, 92, "d-92");
            await Eventually.Async(async () => (await Pending(first)).Count(m => m.Attempts >= 1) == 2, TimeSpan.FromSeconds(10), "failed attempts");
            Assert.Equal(3, (await Pending(first)).Count);
        }

        var afterStop = zammad.Requests.Count;
        zammad.Answer(200);
        await Task.Delay(200);
        Assert.Equal(afterStop, zammad.Requests.Count);

        await using var second = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        await second.DrainedAsync();
        var again = await second.PostAsync("zammad", "main", Payloads.Zammad(92, Tickets.UrgentBilling), Signed(Payloads.Zammad(92, Tickets.UrgentBilling)), ("X-Zammad-Delivery", "d-92"));

        Assert.Equal(Processing.ProcessingStatus.Duplicate, again.Status);
        Assert.Equal(3, zammad.Successful.Count);
        Assert.Equal(["/api/v1/tickets/92", "/api/v1/ticket_articles"], zammad.Successful.Select(r => r.Path).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)));
        Assert.Single(zammad.Successful, r => r.Path == "/hooks/tier2");
    }

    [Fact]
    public async Task Failures_after_the_last_attempt_are_listed_and_counted_and_can_be_retried()
    {
        using var zammad = HelpDeskStub.Start(503);
        using var data = new TempDirectory();
        var settings = ZammadContractTests.Settings(zammad.BaseUrl);
        settings["Integrations:Outbox:MaxAttempts"] = "3";
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        using var failedCounter = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), IntegrationMetrics.MeterName, "otai.outbox.failed");

        await PostAsync(host, 93, "d-93");
        await Eventually.Async(async () => (await host.Outbox.CountAsync(CancellationToken.None)).Failed == 3, TimeSpan.FromSeconds(10), "three failed write-backs");

        var failed = await host.Outbox.ListAsync(OutboxStatus.Failed, 10, CancellationToken.None);
        Assert.All(failed, m => Assert.Equal(3, m.Attempts));
        Assert.All(failed, m => Assert.Equal(503, m.LastStatusCode));
        Assert.Contains(failed, m => m.Path == "api/v1/tickets/93" && m.Method == "PUT" && m.Body == """{"group":"Billing","priority":"4 urgent"}""");
        Assert.Equal(9, zammad.Requests.Count);
        Assert.Equal(3, failedCounter.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Contains(failedCounter.GetMeasurementSnapshot(), m => Equals(m.Tags["target"], "helpdesk:zammad:main"));

        zammad.Answer(200);
        foreach (var message in failed)
        {
            Assert.True(await host.Outbox.RequeueAsync(message.Id, CancellationToken.None));
        }

        host.Services.GetRequiredService<OutboxSignal>().Notify();
        await host.DrainedAsync();
        Assert.Equal(3, (await host.Outbox.CountAsync(CancellationToken.None)).Delivered);
        Assert.False(await host.Outbox.RequeueAsync(failed[0].Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_the_help_desk_refuses_with_422_fails_at_once()
    {
        using var zammad = HelpDeskStub.Start(422);
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, ZammadContractTests.Settings(zammad.BaseUrl));

        await PostAsync(host, 94, "d-94");
        await Eventually.Async(async () => (await host.Outbox.CountAsync(CancellationToken.None)).Failed == 3, TimeSpan.FromSeconds(10), "three refused write-backs");

        Assert.All(await host.Outbox.ListAsync(OutboxStatus.Failed, 10, CancellationToken.None), m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task The_schema_is_created_at_start_up_and_its_version_recorded()
    {
        using var data = new TempDirectory();
        await using (var host = await IntegrationHost.StartAsync(model.Provider, data.Path, ZammadContractTests.Settings("https://zammad.example.com/")))
        {
            Assert.True(File.Exists(data.Combine("integrations.db")));
        }

        await using var connection = new SqliteConnection($"Data Source={data.Combine("integrations.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM integration_migrations;";
        Assert.Equal((long)OutboxStore.SchemaVersion, await command.ExecuteScalarAsync());
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        Assert.Equal(["integration_migrations", "outbox_messages", "poll_cursors", "processed_deliveries", "sync_responses", "ticket_values"], tables);
    }

    [Fact]
    public async Task No_database_is_created_when_no_instance_is_enabled()
    {
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, new Dictionary<string, string?>());

        Assert.False(File.Exists(data.Combine("integrations.db")));
        Assert.Empty(await host.Outbox.ListAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public void Backoff_doubles_up_to_the_maximum_with_jitter_and_honours_retry_after()
    {
        var options = new OutboxOptions { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(1) };

        Assert.Equal(TimeSpan.FromSeconds(5), Backoff.Delay(1, options, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(20), Backoff.Delay(3, options, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(16), Backoff.Delay(3, options, jitter: 1));
        Assert.Equal(TimeSpan.FromMinutes(1), Backoff.Delay(30, options, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(45), Backoff.Delay(1, options, TimeSpan.FromSeconds(45), jitter: 0));
        Assert.Equal(TimeSpan.FromMinutes(1), Backoff.Delay(1, options, TimeSpan.FromHours(1), jitter: 0));
    }

    private static async Task PostAsync(IntegrationHost host, int ticket, string delivery)
    {
        var body = Payloads.Zammad(ticket, Tickets.UrgentBilling);
        var result = await host.PostAsync("zammad", "main", body, Signed(body), ("X-Zammad-Delivery", delivery));
        Assert.Equal(Processing.ProcessingStatus.Processed, result.Status);
        Assert.Equal(3, result.OutboxIds!.Count);
    }

    private static (string, string) Signed(byte[] body) => ("X-Hub-Signature", Payloads.ZammadSignature(body, ZammadContractTests.Secret));

    private static Task<IReadOnlyList<OutboxMessage>> Pending(IntegrationHost host) => host.Outbox.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None);
}
