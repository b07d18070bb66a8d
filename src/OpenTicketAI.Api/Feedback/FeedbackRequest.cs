namespace OpenTicketAI.Api.Feedback;

/// <summary>The correct label of one head for one ticket, from an agent or a script.</summary>
/// <param name="TicketId">The ticket id sent as <c>id</c> to <c>POST /predict</c> (or the help desk's id for connector tickets).</param>
/// <param name="Source"><c>api</c> (default) for tickets classified through <c>POST /predict</c>, or <c>&lt;help desk&gt;/&lt;instance&gt;</c> such as <c>zammad/main</c>.</param>
/// <param name="Head">The head the label belongs to, e.g. <c>queue</c>.</param>
/// <param name="Label">The correct label: one of the head's labels in the model that classified the ticket.</param>
/// <param name="Actor">Who says so (an agent's login or e-mail), kept for audit.</param>
/// <param name="At">When the correction was made; default now.</param>
public sealed record FeedbackRequest(string? TicketId, string? Source, string? Head, string? Label, string? Actor = null, DateTimeOffset? At = null);
