using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Knowledge;

[Collection(ApiCollection.Name)]
public sealed class ResolvedTicketIndexerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _data = new();
    private readonly ApiFactory _factory;
    private readonly HttpClient _client;

    public ResolvedTicketIndexerTests(ApiFixture api)
    {
        _factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Knowledge:Path"] = _data.Path,
            ["Knowledge:Encoder"] = "none",
            ["Knowledge:IndexResolvedTicketsInterval"] = "00:00:00.200",
        });
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task Resolved_tickets_of_the_feedback_store_become_similar_tickets_and_follow_agents_corrections()
    {
        var store = _factory.Services.GetRequiredService<IFeedbackStore>();
        await RecordAsync(store, "81", "VPN tunnel drops every hour", "The VPN disconnects from the office network.", "Network");
        await RecordAsync(store, "82", "Invoice charged twice", "The invoice was paid twice this month.", "Billing");
        await store.RecordLifecycleEventAsync(new TicketLifecycleEvent(Ticket("81"), TicketLifecycleKind.Resolved, At.AddHours(2)), CancellationToken.None);

        await Eventually.Async(async () => (await TopHitAsync("vpn tunnel drops")) is ("zammad/main:81", "Network"), TimeSpan.FromSeconds(15), "the resolved ticket to be indexed");
        Assert.Null(await TopHitAsync("invoice charged twice"));

        await store.RecordFeedbackAsync(new FeedbackRecord(Ticket("81"), "queue", "IT Security", "agent", At.AddHours(3), FeedbackOrigin.HelpDesk), CancellationToken.None);
        await store.RecordLifecycleEventAsync(new TicketLifecycleEvent(Ticket("82"), TicketLifecycleKind.Resolved, At.AddHours(3)), CancellationToken.None);

        await Eventually.Async(async () => (await TopHitAsync("vpn tunnel drops")) is (_, "IT Security") && (await TopHitAsync("invoice charged twice")) is ("zammad/main:82", "Billing"), TimeSpan.FromSeconds(15), "the correction and the second resolved ticket");
    }

    private static TicketKey Ticket(string id) => TicketKey.FromHelpDesk("zammad", "main", id);

    private static async Task RecordAsync(IFeedbackStore store, string id, string subject, string body, string queue)
    {
        await store.RecordPredictionAsync(new PredictionRecord(Ticket(id), "default", "1.0.0", At, 1, [new PredictedHead("queue", ["Sales"], 0.4, true)], false, subject, body), CancellationToken.None);
        await store.RecordFeedbackAsync(new FeedbackRecord(Ticket(id), "queue", queue, "agent", At.AddHours(1), FeedbackOrigin.HelpDesk), CancellationToken.None);
    }

    private async Task<(string Id, string Queue)?> TopHitAsync(string subject)
    {
        var response = await _client.PostAsJsonAsync("/similar", new { subject, topK = 1 });
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var hits = (await response.ReadJsonAsync()).GetProperty("hits");
        return hits.GetArrayLength() == 0 ? null : (hits[0].GetProperty("id").GetString()!, hits[0].GetProperty("queue").GetString()!);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _data.Dispose();
    }
}
