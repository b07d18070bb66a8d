using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Import;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

public sealed class FeedbackDocumentsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_feedback_ticket_read_back_from_a_collection_counts_as_stored_until_a_label_changes()
    {
        var labels = new Dictionary<string, string> { ["queue"] = "Network", ["language"] = "EN-us", ["tags"] = "vpn, outage" };
        var ticket = new LabelledTicket(TicketKey.FromHelpDesk("zammad", "main", "81"), "VPN drops", "The VPN disconnects every hour", labels, new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1)))
        {
            ResolvedAt = new DateTimeOffset(2026, 11, 2, 11, 0, 0, TimeSpan.FromHours(1)),
        };
        var document = FeedbackDocuments.FromFeedback(ticket);
        using var index = KnowledgeIndex.Open("tickets", _directory.Combine("tickets"), encoder: null);
        await index.UpsertAsync([document]);
        using var reopened = KnowledgeIndex.Open("tickets", _directory.Combine("tickets"), encoder: null);

        Assert.True(FeedbackDocuments.IsStored(reopened.Get(document.Id), document));
        Assert.False(FeedbackDocuments.IsStored(reopened.Get(document.Id), FeedbackDocuments.FromFeedback(ticket with { Labels = new Dictionary<string, string>(labels) { ["queue"] = "IT Security" } })));
        Assert.False(FeedbackDocuments.IsStored(reopened.Get(document.Id), FeedbackDocuments.FromFeedback(ticket with { Labels = new Dictionary<string, string>(labels) { ["tags"] = "vpn" } })));
        Assert.False(FeedbackDocuments.IsStored(reopened.Get(document.Id), FeedbackDocuments.FromFeedback(ticket with { ResolvedAt = ticket.ResolvedAt!.Value.AddMinutes(1) })));
        Assert.False(FeedbackDocuments.IsStored(null, document));
    }

    public void Dispose() => _directory.Dispose();
}
