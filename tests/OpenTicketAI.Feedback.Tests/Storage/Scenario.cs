using OpenTicketAI.Feedback.Recording;

namespace OpenTicketAI.Feedback.Tests.Storage;

/// <summary>Builds predictions and feedback for the hand-computed scenarios.</summary>
public static class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static PredictionRecord Prediction(
        string? ticket, string version, int minutes, string queue, string priority, bool autoApplied, string model = "default", string? subject = null, string? body = null) =>
        new(
            ticket is null ? null : TicketKey.FromApi(ticket),
            model,
            version,
            At(minutes),
            12.5,
            [
                new PredictedHead("queue", [queue], 0.8, !autoApplied),
                new PredictedHead("priority", [priority], 0.7, false),
                new PredictedHead("tags", ["Login", "Account"], 0.6, false),
            ],
            autoApplied,
            subject,
            body);

    public static FeedbackRecord Verdict(string ticket, string head, string label, int minutes) =>
        new(TicketKey.FromApi(ticket), head, label, "agent@example.com", At(minutes), FeedbackOrigin.Api);

    public static TicketLifecycleEvent Event(string ticket, TicketLifecycleKind kind, int minutes) => new(TicketKey.FromApi(ticket), kind, At(minutes));
}
