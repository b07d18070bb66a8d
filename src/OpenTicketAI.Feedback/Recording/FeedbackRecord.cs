namespace OpenTicketAI.Feedback.Recording;

public enum FeedbackOrigin
{
    /// <summary>Sent to <c>POST /feedback</c> by a person or a script.</summary>
    Api,

    /// <summary>Derived by a connector from the help desk's own event (an agent moved the ticket or changed its priority).</summary>
    HelpDesk,
}

/// <summary>
/// The correct label of one head for one ticket. Equal to the predicted label it confirms the prediction; different, it is a
/// correction (a misroute when the head is the queue head). The latest feedback per ticket and head wins.
/// </summary>
public sealed record FeedbackRecord(TicketKey Ticket, string Head, string CorrectLabel, string? Actor, DateTimeOffset At, FeedbackOrigin Origin);

/// <summary>What the store made of a feedback record.</summary>
/// <param name="Stored">False only when the same feedback (ticket, head, label) was already the latest one.</param>
/// <param name="PredictedLabel">The label the last prediction for that ticket gave the head; null when there was none.</param>
/// <param name="IsCorrection">True when a prediction exists and its label differs from the correct one.</param>
public sealed record FeedbackOutcome(bool Stored, string? PredictedLabel, bool IsCorrection);
