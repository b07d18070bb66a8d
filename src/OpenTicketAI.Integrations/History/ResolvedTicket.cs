namespace OpenTicketAI.Integrations.History;

/// <summary>
/// A closed ticket read from a help desk's API: the customer's text and the agent's first reply, as <c>otai index</c>
/// stores it in a knowledge collection. Help-desk neutral, so the integrations need no reference to the knowledge index.
/// </summary>
/// <param name="Id">Stable id across imports, <c>helpdesk/instance:ticketId</c> (e.g. <c>zammad/main:81</c>), the form the feedback store uses.</param>
/// <param name="Reference">The ticket number agents see (else the ticket id).</param>
/// <param name="Answer">The first public agent reply after the customer's text, as plain text; null when no agent replied.</param>
/// <param name="Queue">The group or mailbox the ticket was closed in.</param>
/// <param name="ResolvedAt">When the ticket was closed (else last updated).</param>
public sealed record ResolvedTicket(
    string Id,
    string? Reference,
    string? Subject,
    string? Body,
    string? Answer,
    string? Queue,
    IReadOnlyList<string> Tags,
    DateTimeOffset? ResolvedAt);

/// <summary>What to read from a help desk's history, and the bounds of one read.</summary>
public sealed record HistoryReadOptions
{
    public const int DefaultMaxTickets = 10_000;
    public const int DefaultPageSize = 100;

    /// <summary>The instance name in the documents' ids (<c>zammad/main:81</c>); the name the service's configuration gives it.</summary>
    public string Instance { get; init; } = "main";

    /// <summary>The help desk's search query selecting tickets; null for the reader's default (closed tickets).</summary>
    public string? Query { get; init; }

    /// <summary>Only tickets closed (else updated) at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Tickets returned at most.</summary>
    public int MaxTickets { get; init; } = DefaultMaxTickets;

    /// <summary>Tickets requested per page.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for bounds a read cannot keep.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTickets, 1, nameof(MaxTickets));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentException.ThrowIfNullOrWhiteSpace(Instance, nameof(Instance));
    }
}
