namespace OpenTicketAI.Integrations.History;

/// <summary>A help desk's closed tickets with the agent's reply, read page by page through its API.</summary>
public interface IHelpDeskHistory
{
    /// <summary>The help desk's name as in ids (<c>zammad</c>, <c>freescout</c>).</summary>
    string HelpDesk { get; }

    /// <summary>What is asked for, for the log line (the search query or the list's filters).</summary>
    string Selection { get; }

    /// <summary>Tickets listed but not returned: without text, or closed before <see cref="HistoryReadOptions.Since"/>.</summary>
    int Skipped { get; }

    IAsyncEnumerable<ResolvedTicket> ReadAsync(CancellationToken cancellationToken);
}
