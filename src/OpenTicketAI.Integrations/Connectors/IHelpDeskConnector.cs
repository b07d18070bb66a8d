namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// One help desk: turns its webhook calls into <see cref="TicketEvent"/>s and a ticket's changes into the HTTP calls its API
/// expects. Classification, rules, label mapping and delivery are shared (<c>TicketEventProcessor</c>, the outbox); a new
/// help desk implements only this. A polling help desk produces <see cref="TicketEvent"/>s from its own loop and hands them
/// to <c>TicketEventProcessor.ProcessAsync</c>; a help desk that wants the answer in the webhook response (Znuny/OTOBO)
/// renders <c>ProcessingResult.Changes</c> instead of enqueuing.
/// </summary>
public interface IHelpDeskConnector
{
    /// <summary>The name in URLs and configuration, lower case: <c>zammad</c>, <c>freescout</c>.</summary>
    string HelpDesk { get; }

    /// <summary>Every configured instance, enabled or not.</summary>
    IReadOnlyList<HelpDeskInstanceOptions> Instances { get; }

    /// <summary>Verifies the call's signature (in constant time) and parses it; never throws for bad input.</summary>
    InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request);

    /// <summary>The calls that apply <paramref name="changes"/> to the ticket, in order; none when there is nothing to change.</summary>
    IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes);

    /// <summary>Base address and credentials of the instance's named HTTP client, applied when a write-back is sent.</summary>
    void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client);
}
