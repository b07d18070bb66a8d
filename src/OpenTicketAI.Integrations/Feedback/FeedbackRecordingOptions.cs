namespace OpenTicketAI.Integrations.Feedback;

/// <summary>What the connectors keep of the tickets they classify (configuration section <c>Feedback</c>, shared with the feedback store).</summary>
public sealed class FeedbackRecordingOptions
{
    public const string SectionName = "Feedback";

    /// <summary>Keep the ticket's subject and body with each prediction (needed to retrain from feedback). Off: only labels are kept.</summary>
    public bool StoreTicketText { get; set; }
}
