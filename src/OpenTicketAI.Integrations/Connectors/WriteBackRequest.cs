namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// One HTTP call that writes a result back, stored in the outbox until it succeeds. <see cref="Path"/> is relative to the
/// target's base address (or absolute for notifications). Credentials are never part of it: the target's named HTTP client
/// adds them when the call is sent, so no secret is written to disk.
/// </summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">Path and query, e.g. <c>api/v1/tickets/42</c>.</param>
/// <param name="Body">JSON body, or null.</param>
/// <param name="Headers">Extra non-secret headers.</param>
/// <param name="Description">What the call does, for logs and the outbox listing.</param>
public sealed record WriteBackRequest(
    string Method,
    string Path,
    string? Body,
    IReadOnlyDictionary<string, string> Headers,
    string Description)
{
    public static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
}
