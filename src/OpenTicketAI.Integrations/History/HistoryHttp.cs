using System.Net;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.History;

/// <summary>A help desk refused or failed a history request; the message names the URL and the status, never the credentials.</summary>
public sealed class HelpDeskHistoryException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// <see cref="HelpDeskApi.GetJsonAsync"/> for history readers: the same GET, its errors as <see cref="HelpDeskHistoryException"/>,
/// which the CLI reports as a user's error (and, for 401/403, with the variable holding the credential).
/// </summary>
internal static class HistoryHttp
{
    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await HelpDeskApi.GetJsonAsync(client, path, cancellationToken);
        }
        catch (HelpDeskApiException ex)
        {
            throw new HelpDeskHistoryException(ex.Message, ex.StatusCode, ex);
        }
    }
}
