using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// A help desk that applies the result from the webhook's own response (Znuny's Generic Interface invoker): the endpoint
/// answers with <see cref="RenderResponse"/> instead of the usual summary, and a repeated delivery gets the stored answer.
/// </summary>
public interface ISynchronousHelpDesk
{
    /// <summary>The response body for a processed delivery: keys the help desk acts on.</summary>
    IReadOnlyDictionary<string, object?> RenderResponse(HelpDeskInstanceOptions instance, ProcessingResult result);
}

/// <summary>
/// A help desk whose API wants credentials inside the request body (OTOBO's <c>UserLogin</c>/<c>Password</c>). The outbox
/// never stores secrets, so the handler adds them when the call is sent.
/// </summary>
public interface IWriteBackCredentials
{
    /// <summary>A handler for the instance's outbox client, or null when none is needed.</summary>
    DelegatingHandler? CreateHandler(HelpDeskInstanceOptions instance);
}
