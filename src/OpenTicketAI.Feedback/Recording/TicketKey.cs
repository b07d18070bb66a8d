namespace OpenTicketAI.Feedback.Recording;

/// <summary>
/// A ticket as the help desk that owns it knows it. <paramref name="Source"/> is <c>api</c> for tickets classified through
/// <c>POST /predict</c>, or <c>&lt;help desk&gt;/&lt;instance&gt;</c> (<c>zammad/main</c>) for tickets a connector received;
/// ticket ids are unique within a source only.
/// </summary>
public sealed record TicketKey(string Source, string TicketId)
{
    public const string ApiSource = "api";

    public static TicketKey FromApi(string ticketId) => new(ApiSource, ticketId);

    public static TicketKey FromHelpDesk(string helpDesk, string instance, string ticketId) => new($"{helpDesk}/{instance}", ticketId);

    public override string ToString() => $"{Source}:{TicketId}";
}
