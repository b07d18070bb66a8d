namespace OpenTicketAI.Core.Features;

/// <summary>The text of one ticket as the classifier sees it.</summary>
public sealed record TicketText(string? Subject, string? Body)
{
    public static TicketText FromBody(string body) => new(null, body);
}
