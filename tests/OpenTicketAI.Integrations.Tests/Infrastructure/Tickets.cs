namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// Ticket texts in the synthetic tickets' vocabulary, with what the shared model answers for them (asserted by
/// <c>TrainedModelTests</c>, so a changed model fails there first, with a clear message).
/// </summary>
public static class Tickets
{
    /// <summary>queue Billing (1.0), priority high, tags [refund].</summary>
    public static readonly (string Subject, string Body) UrgentBilling = (
        "Invoice charged twice, urgent",
        "Hello team, the payment for our last invoice was charged twice to the bank account. This is urgent and critical. Please check the billing and send a receipt.");

    /// <summary>queue Billing (1.0), priority medium, tags [refund].</summary>
    public static readonly (string Subject, string Body) Billing = (
        "Refund for invoice",
        "Hello team, the invoice payment was charged twice, please refund the money back and send a receipt for the billing.");

    /// <summary>queue Sales (about 0.77), priority high, sentiment negative.</summary>
    public static readonly (string Subject, string Body) AngryUrgent = (
        "URGENT: invoice charged twice",
        "Hello team, the payment for our invoice was charged twice. This is urgent and critical, blocking us, fix it immediately asap. Terrible, awful, we hate this and are angry.");

    /// <summary>queue Technical Support, priority high.</summary>
    public static readonly (string Subject, string Body) Technical = (
        "Server error after update",
        "Hallo zusammen, since the update the database sync fails with an error and the api runs into a timeout. urgent critical asap");

    /// <summary>queue Sales with low confidence (about 0.78, below its review threshold), priority medium, sentiment negative.</summary>
    public static readonly (string Subject, string Body) Unsure = (
        "Invoice charged twice",
        "Hello team, the payment for our purchase was charged twice to the bank account. Please check the billing and send a receipt this week. Terrible, awful, we hate this, angry and disappointed.");
}
