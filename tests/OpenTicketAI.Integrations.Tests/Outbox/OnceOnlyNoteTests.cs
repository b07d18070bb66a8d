using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Tests.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Outbox;

/// <summary>
/// A note whose earlier attempt may have reached the help desk (a retry after a timeout, a claim taken over from a replica
/// that died) is sent again only when the ticket's articles, read as Zammad serves them, do not show its marker. A real SQLite
/// outbox, the real dispatcher, a WireMock Zammad.
/// </summary>
public sealed class OnceOnlyNoteTests : IAsyncLifetime
{
    private const string Target = "helpdesk:zammad:main";
    private const string Marker = "otai-0123456789abcdef0123456789abcdef";
    private const string Articles = "/api/v1/ticket_articles/by_ticket/7";

    public OnceOnlyNoteTests()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddHttpClient(OutboxTargets.ClientName(Target), c => c.BaseAddress = new Uri(Zammad.BaseUrl));
        Services = services.BuildServiceProvider();
    }

    private SqliteTestDatabase Database { get; } = new();

    private HelpDeskStub Zammad { get; } = HelpDeskStub.Start();

    private ServiceProvider Services { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        Zammad.Dispose();
        await Database.DisposeAsync();
    }

    [Fact]
    public async Task A_note_on_its_first_attempt_is_posted_without_reading_the_ticket()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(["POST /api/v1/ticket_articles"], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Delivered);
    }

    [Fact]
    public async Task A_retried_note_whose_marker_is_already_on_the_ticket_is_not_posted_again()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);
        Zammad.Respond("POST", "/api/v1/ticket_articles", 504, """{"error":"gateway timeout"}""");
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.True(Assert.Single(await store.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None)).MayHaveReached);

        // The 504 came from a proxy: Zammad had created the article.
        Zammad.Respond("GET", Articles, 200, ArticlesWith(Marker));
        Zammad.Respond("POST", "/api/v1/ticket_articles", 201, "{}");
        await DispatchWhenDueAsync(dispatcher);

        Assert.Equal(["POST /api/v1/ticket_articles", "GET " + Articles], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        var delivered = Assert.Single(await store.ListAsync(OutboxStatus.Delivered, 10, CancellationToken.None));
        Assert.Equal(2, delivered.Attempts);
    }

    [Fact]
    public async Task A_retried_note_whose_marker_is_missing_from_the_ticket_is_posted_again()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);
        Zammad.Respond("POST", "/api/v1/ticket_articles", 504, """{"error":"gateway timeout"}""");
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Zammad.Respond("GET", Articles, 200, ArticlesWith("otai-ffffffffffffffffffffffffffffffff"));
        Zammad.Respond("POST", "/api/v1/ticket_articles", 201, "{}");
        await DispatchWhenDueAsync(dispatcher);

        Assert.Equal(["POST /api/v1/ticket_articles", "GET " + Articles, "POST /api/v1/ticket_articles"], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Delivered);
    }

    [Fact]
    public async Task A_note_taken_over_from_a_replica_that_died_after_posting_it_is_not_posted_again()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);
        await DieHoldingTheClaimAsync();
        Zammad.Respond("GET", Articles, 200, ArticlesWith(Marker));

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(["GET " + Articles], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Delivered);
    }

    [Fact]
    public async Task A_note_taken_over_from_a_replica_that_died_before_posting_it_is_posted()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);
        await DieHoldingTheClaimAsync();
        Zammad.Respond("GET", Articles, 200, "[]");

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(["GET " + Articles, "POST /api/v1/ticket_articles"], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(1, (await store.CountAsync(CancellationToken.None)).Delivered);
    }

    [Fact]
    public async Task A_note_whose_ticket_cannot_be_read_is_not_posted_blind_but_retried()
    {
        var (store, dispatcher) = Replica();
        await EnqueueNoteAsync(store);
        await DieHoldingTheClaimAsync();
        Zammad.Respond("GET", Articles, 503, """{"error":"maintenance"}""");

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(["GET " + Articles], Zammad.Requests.Select(r => $"{r.Method} {r.Path}"));
        var waiting = Assert.Single(await store.ListAsync(OutboxStatus.Pending, 10, CancellationToken.None));
        Assert.StartsWith("checking whether an earlier attempt arrived: HTTP 503", waiting.LastError, StringComparison.Ordinal);
    }

    private (OutboxStore Store, OutboxDispatcher Dispatcher) Replica()
    {
        var store = new OutboxStore(Database.Open());
        var options = Options.Create(new OutboxOptions { InitialDelay = TimeSpan.FromMilliseconds(50), RequestTimeout = TimeSpan.FromSeconds(5) });
        var dispatcher = new OutboxDispatcher(
            store,
            Services.GetRequiredService<IHttpClientFactory>(),
            options,
            TimeProvider.System,
            new IntegrationMetrics(Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            NullLogger<OutboxDispatcher>.Instance);
        return (store, dispatcher);
    }

    private static async Task EnqueueNoteAsync(OutboxStore store) => await store.EnqueueAsync(
        new DeliveryRecord("zammad", "main", "d-7", "7"),
        [new NewOutboxMessage(
            Target,
            "POST",
            "api/v1/ticket_articles",
            WriteBackRequest.NoHeaders,
            $$"""{"ticket_id":7,"body":"Open Ticket AI: Billing","type":"note","internal":true,"message_id":"<{{Marker}}@open-ticket-ai>"}""",
            "Zammad main ticket 7: add internal note",
            new WriteBackCheck(Articles.TrimStart('/'), Marker))],
        CancellationToken.None);

    /// <summary>Another replica claims the note for a lease of 100 ms and is never heard of again (what SIGKILL leaves).</summary>
    private async Task DieHoldingTheClaimAsync()
    {
        var dead = new OutboxStore(Database.Open());
        Assert.Single(await dead.ClaimDueAsync(10, TimeSpan.FromMilliseconds(100), CancellationToken.None));
        await Task.Delay(150);
    }

    private static Task DispatchWhenDueAsync(OutboxDispatcher dispatcher) =>
        Eventually.Async(async () => await dispatcher.DispatchDueAsync(CancellationToken.None) > 0, TimeSpan.FromSeconds(5), "the retry");

    /// <summary>The shape of Zammad's answer (Rails escapes &lt; and &gt; in JSON), with one customer article and our note.</summary>
    private static string ArticlesWith(string marker) => $$"""
        [{"id":70,"ticket_id":7,"type":"email","sender":"Customer","internal":false,"body":"My invoice was charged twice.","message_id":"\u003c20261202.1@example.com\u003e"},
         {"id":71,"ticket_id":7,"type":"note","sender":"Agent","internal":true,"body":"Open Ticket AI: Billing","message_id":"\u003c{{marker}}@open-ticket-ai\u003e"}]
        """;
}
