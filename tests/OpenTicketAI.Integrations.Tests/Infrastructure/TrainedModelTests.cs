using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>Pins what the shared model answers for the texts the contract tests send, so a changed model fails here first.</summary>
[Collection(ModelCollection.Name)]
public sealed class TrainedModelTests(TrainedModel model)
{
    [Fact]
    public void The_ticket_texts_get_the_labels_the_contract_tests_rely_on()
    {
        AssertLabels(Tickets.UrgentBilling, "Billing", "high", "positive");
        AssertLabels(Tickets.Billing, "Billing", "medium", "positive");
        AssertLabels(Tickets.AngryUrgent, "Sales", "high", "negative");
        AssertLabels(Tickets.Technical, "Technical Support", "high", null);
        AssertLabels(Tickets.Unsure, "Sales", "medium", "negative");

        var unsure = model.Provider.Classify(new TicketText(Tickets.Unsure.Subject, Tickets.Unsure.Body), null);
        Assert.InRange(unsure.Heads["queue"].Confidence, 0.3, 0.8);
        var sure = model.Provider.Classify(new TicketText(Tickets.UrgentBilling.Subject, Tickets.UrgentBilling.Body), null);
        Assert.True(sure.Heads["queue"].Confidence > 0.95);
    }

    private void AssertLabels((string Subject, string Body) ticket, string queue, string priority, string? sentiment)
    {
        var result = model.Provider.Classify(new TicketText(ticket.Subject, ticket.Body), null);
        Assert.Equal(queue, result.Heads["queue"].Labels[0]);
        Assert.Equal(priority, result.Heads["priority"].Labels[0]);
        if (sentiment is not null)
        {
            Assert.Equal(sentiment, result.Heads["sentiment"].Labels[0]);
        }
    }
}
