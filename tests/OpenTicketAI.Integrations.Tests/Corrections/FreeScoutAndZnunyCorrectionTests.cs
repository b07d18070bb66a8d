using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Integrations.FreeScout;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Corrections;

/// <summary>
/// FreeScout's <c>convo.moved</c>/<c>convo.agent.reply.created</c>/<c>convo.status</c> webhooks and Znuny's
/// <c>Ticket::Generic</c> ticket events, signed or authenticated as the help desks do it, against the real SQLite store.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class FreeScoutAndZnunyCorrectionTests(TrainedModel model)
{
    private const string AppKey = "base64:q3S8B8Ck2zqDW3m3m1m6p0vXkI5tGlbFJQkFv0qPZ8c=";
    private const string ZnunyPassword = "requester-password";
    private const int ServiceUser = 7;
    private const int AgentUser = 3;

    private static Dictionary<string, string?> FreeScoutSettings(string baseUrl) => new()
    {
        ["Integrations:RunPollers"] = "false",
        ["Integrations:FreeScout:Instances:0:Name"] = "support",
        ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
        ["Integrations:FreeScout:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:FreeScout:Instances:0:ApiKey"] = "freescout-api-key",
        ["Integrations:FreeScout:Instances:0:AppKey"] = AppKey,
        ["Integrations:FreeScout:Instances:0:UserId"] = ServiceUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Integrations:FreeScout:Instances:0:Heads:0"] = "queue",
        ["Integrations:FreeScout:Instances:0:Mappings:Queues:Billing"] = "2",
        ["Integrations:FreeScout:Instances:0:Mappings:Queues:Technical Support"] = "1",
    };

    private static Dictionary<string, string?> ZnunySettings(string baseUrl) => new()
    {
        ["Integrations:RunPollers"] = "false",
        ["Integrations:Znuny:Instances:0:Name"] = "main",
        ["Integrations:Znuny:Instances:0:Enabled"] = "true",
        ["Integrations:Znuny:Instances:0:BaseUrl"] = baseUrl,
        ["Integrations:Znuny:Instances:0:WebhookPassword"] = ZnunyPassword,
        ["Integrations:Znuny:Instances:0:Heads:0"] = "queue",
        ["Integrations:Znuny:Instances:0:Heads:1"] = "priority",
        ["Integrations:Znuny:Instances:0:Mappings:Queues:Billing"] = "Billing",
        ["Integrations:Znuny:Instances:0:Mappings:Queues:Sales"] = "Sales",
        ["Integrations:Znuny:Instances:0:Mappings:Priorities:medium"] = "3 normal",
        ["Integrations:Znuny:Instances:0:Mappings:Priorities:high"] = "4 high",
    };

    [Fact]
    public async Task FreeScout_a_mailbox_move_by_an_agent_is_a_correction_our_own_move_is_not_and_reply_and_close_are_timed()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, FreeScoutSettings(freeScout.BaseUrl));
        var created = await PostFreeScout(host, Payloads.FreeScout(123, Tickets.UrgentBilling, mailboxId: 1), FreeScoutConnector.CreatedEvent); // created 20:18:33Z
        Assert.Equal("2", created.Plan!.Changes.Queue);
        var ourMove = Payloads.FreeScout(123, Tickets.UrgentBilling, 2, null, "active", null, [Payloads.FreeScoutThread(19, "lineitem", "moved-from-mailbox", ServiceUser, "2020-06-05T20:18:40Z")]);
        var agentMove = Payloads.FreeScout(123, Tickets.UrgentBilling, 1, null, "active", null, [Payloads.FreeScoutThread(20, "lineitem", "moved-from-mailbox", AgentUser, "2020-06-05T20:40:00Z")]);
        var reply = Payloads.FreeScout(123, Tickets.UrgentBilling, 1, null, "pending", null, [Payloads.FreeScoutThread(21, "message", "default", AgentUser, "2020-06-05T21:18:33Z")]);
        var close = Payloads.FreeScout(123, Tickets.UrgentBilling, 1, null, "closed", "2020-06-05T23:18:33Z", [Payloads.FreeScoutThread(22, "lineitem", "changed-ticket-status", AgentUser, "2020-06-05T23:18:33Z")]);

        var echo = await PostFreeScout(host, ourMove, FreeScoutConnector.MovedEvent);
        var moved = await PostFreeScout(host, agentMove, FreeScoutConnector.MovedEvent);
        var again = await PostFreeScout(host, agentMove, FreeScoutConnector.MovedEvent);
        var replied = await PostFreeScout(host, reply, FreeScoutConnector.AgentReplyEvent);
        var closed = await PostFreeScout(host, close, FreeScoutConnector.StatusEvent);

        Assert.Empty(echo.Observation!.Feedback);
        var correction = Assert.Single(moved.Observation!.Feedback);
        Assert.Equal(("queue", "Technical Support", "3"), (correction.Head, correction.CorrectLabel, correction.Actor));
        Assert.Equal(ProcessingStatus.Duplicate, again.Status);
        Assert.Equal([TicketLifecycleKind.FirstAgentReply], replied.Observation!.Lifecycle.Select(l => l.Kind));
        Assert.Equal([TicketLifecycleKind.Resolved], closed.Observation!.Lifecycle.Select(l => l.Kind));
        var kpis = await Kpis(host);
        var billing = Assert.Single(kpis.Overall.Queues, q => q.Queue == "Billing");
        Assert.Equal((1, 1), (billing.Routed, billing.Misrouted));
        Assert.Equal(3600, kpis.Overall.MedianTimeToFirstResponseSeconds);
        Assert.Equal(3 * 3600, kpis.Overall.MedianResolutionSeconds);
    }

    [Fact]
    public async Task FreeScout_a_move_to_an_unmapped_mailbox_records_nothing_and_unsigned_events_are_refused()
    {
        using var freeScout = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, FreeScoutSettings(freeScout.BaseUrl));
        await PostFreeScout(host, Payloads.FreeScout(124, Tickets.UrgentBilling, mailboxId: 1), FreeScoutConnector.CreatedEvent);
        var toUnmapped = Payloads.FreeScout(124, Tickets.UrgentBilling, 9, null, "active", null, [Payloads.FreeScoutThread(30, "lineitem", "moved-from-mailbox", AgentUser, "2020-06-05T20:40:00Z")]);

        var unsigned = await host.PostAsync("freescout", "support", toUnmapped, ("X-FreeScout-Event", FreeScoutConnector.MovedEvent));
        var ignored = await PostFreeScout(host, toUnmapped, FreeScoutConnector.MovedEvent);

        Assert.Equal(ProcessingStatus.Unauthorized, unsigned.Status);
        Assert.Empty(ignored.Observation!.Feedback);
        Assert.Contains("queue '9' maps to no single label in Mappings:Queues.", ignored.Observation.Ignored);
        Assert.Equal(0, (await Kpis(host)).Series.Sum(p => p.Corrections));
    }

    [Fact]
    public async Task Znuny_queue_and_priority_updates_by_an_agent_are_corrections_and_our_own_answer_applied_by_znuny_is_not()
    {
        using var znuny = HelpDeskStub.Start();
        using var data = new TempDirectory();
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, ZnunySettings(znuny.BaseUrl));
        var created = await PostZnuny(host, GenericInterfacePayloads.Znuny(4711, Tickets.UrgentBilling)); // Created 2024-01-01 10:00:00
        Assert.Equal(("Billing", "4 high"), (created.Plan!.Changes.Queue, created.Plan.Changes.Priority));
        var applied = GenericInterfacePayloads.ZnunyEvent("TicketQueueUpdate", 4711, Tickets.UrgentBilling, "Billing", "4 high", changeBy: "1", changed: "2024-01-01 10:00:05");
        var moved = GenericInterfacePayloads.ZnunyEvent("TicketQueueUpdate", 4711, Tickets.UrgentBilling, "Sales", "4 high", changeBy: "3", changed: "2024-01-01 10:30:00");
        var lowered = GenericInterfacePayloads.ZnunyEvent("TicketPriorityUpdate", 4711, Tickets.UrgentBilling, "Sales", "3 normal", changeBy: "3", changed: "2024-01-01 10:31:00");
        var reply = GenericInterfacePayloads.ZnunyEvent("ArticleCreate", 4711, Tickets.UrgentBilling, "Sales", "3 normal", changeBy: "3", changed: "2024-01-01 11:00:00", newArticle: ("agent", "1", "2024-01-01 11:00:00"));
        var closed = GenericInterfacePayloads.ZnunyEvent("TicketStateUpdate", 4711, Tickets.UrgentBilling, "Sales", "3 normal", changeBy: "3", changed: "2024-01-01 13:00:00", stateType: "closed");

        var echo = await PostZnuny(host, applied);
        var queue = await PostZnuny(host, moved);
        var priority = await PostZnuny(host, lowered);
        var replied = await PostZnuny(host, reply);
        var resolved = await PostZnuny(host, closed);
        var retried = await PostZnuny(host, moved);

        Assert.Empty(echo.Observation!.Feedback);
        Assert.Equal(("queue", "Sales"), (Assert.Single(queue.Observation!.Feedback).Head, queue.Observation.Feedback[0].CorrectLabel));
        Assert.Equal(("priority", "medium"), (Assert.Single(priority.Observation!.Feedback).Head, priority.Observation.Feedback[0].CorrectLabel));
        Assert.Equal([TicketLifecycleKind.FirstAgentReply], replied.Observation!.Lifecycle.Select(l => l.Kind));
        Assert.Equal([TicketLifecycleKind.Resolved], resolved.Observation!.Lifecycle.Select(l => l.Kind));
        Assert.Equal(ProcessingStatus.Duplicate, retried.Status);
        var answer = await host.Services.GetRequiredService<SynchronousResponses>().ResolveAsync("znuny", "main", queue, CancellationToken.None);
        Assert.Equal("{}", answer!.Value.GetRawText()); // nothing for Znuny to apply
        var kpis = await Kpis(host);
        Assert.Equal((1, 1), (kpis.Overall.Queues.Single(q => q.Queue == "Billing").Routed, kpis.Overall.Queues.Single(q => q.Queue == "Billing").Misrouted));
        Assert.Equal(3600, kpis.Overall.MedianTimeToFirstResponseSeconds);
        Assert.Equal(3 * 3600, kpis.Overall.MedianResolutionSeconds);
        Assert.Equal((1, 0), (kpis.Overall.Heads.Single(h => h.Head == "priority").Judged, kpis.Overall.Heads.Single(h => h.Head == "priority").Correct));
        Assert.Equal(1, kpis.Series.Sum(p => p.Corrections)); // one prediction corrected (in two heads)
    }

    private static Task<ProcessingResult> PostFreeScout(IntegrationHost host, byte[] body, string eventName) =>
        host.PostAsync("freescout", "support", body, (FreeScoutConnector.SignatureHeader, Payloads.FreeScoutSignature(body, Payloads.FreeScoutKey(AppKey))), (FreeScoutConnector.EventHeader, eventName));

    private static Task<ProcessingResult> PostZnuny(IntegrationHost host, byte[] body) =>
        host.PostAsync("znuny", "main", body, GenericInterfacePayloads.Basic("otai", ZnunyPassword));

    private static Task<KpiReport> Kpis(IntegrationHost host) =>
        host.Feedback.GetKpisAsync(new KpiQuery(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, TimeSpan.FromHours(2)), CancellationToken.None);
}
