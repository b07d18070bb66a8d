using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Polling;

/// <summary>A ticket as the help desk's list returns it: its numeric id and the raw list entry.</summary>
public sealed record PolledTicket(long Id, JsonElement Data)
{
    /// <summary>The delivery id of a polled ticket: one per ticket, so a ticket is processed once however often it is listed.</summary>
    public string DeliveryId => "poll:" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One page of the help desk's ticket list.</summary>
/// <param name="HasMore">False when this was the last page.</param>
public sealed record PolledPage(IReadOnlyList<PolledTicket> Tickets, bool HasMore);

/// <summary>
/// Reads new tickets of a help desk that cannot push. The poller pages until a page holds only tickets at or below its
/// cursor, so the list may come in any order; it classifies the new ones in ascending id order.
/// </summary>
public interface IPollingSource
{
    /// <summary>The connector name this source reads for.</summary>
    string HelpDesk { get; }

    /// <summary>The configuration key of an instance's API credential, named when the help desk refuses it (401/403).</summary>
    string CredentialKey { get; }

    /// <summary>Page <paramref name="page"/> (from 1) of the tickets to classify; throws on HTTP or format errors.</summary>
    Task<PolledPage> FetchPageAsync(HttpClient client, HelpDeskInstanceOptions instance, int page, CancellationToken cancellationToken);

    /// <summary>The ticket as an event to classify (may read its first message); null when there is nothing to classify.</summary>
    Task<TicketEvent?> LoadAsync(HttpClient client, HelpDeskInstanceOptions instance, PolledTicket ticket, CancellationToken cancellationToken);
}
