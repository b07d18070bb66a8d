using System.Security.Cryptography;
using System.Text;

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
/// <param name="Check">For a write that is not idempotent (a note): how to tell it already reached the ticket.</param>
public sealed record WriteBackRequest(
    string Method,
    string Path,
    string? Body,
    IReadOnlyDictionary<string, string> Headers,
    string Description,
    WriteBackCheck? Check = null)
{
    public static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
}

/// <summary>
/// Makes a non-idempotent write (a note) once-only: the write carries <see cref="Marker"/>, and before it is sent again after
/// an attempt that may have reached the help desk (a retry, or a claim taken over from a replica that died), the outbox GETs
/// <see cref="Path"/> (the ticket's articles or threads) and skips the write when the answer contains the marker.
/// </summary>
/// <param name="Path">Relative to the target's base address, like the write's own path.</param>
/// <param name="Marker">Letters, digits and dashes only, so it reads the same in any JSON or HTML escaping.</param>
public sealed record WriteBackCheck(string Path, string Marker)
{
    /// <summary>A marker stable across retries, replicas and restarts: from the delivery and the write's place in its plan.</summary>
    public static string MarkerFor(TicketEvent ticket, int index) =>
        "otai-" + Convert.ToHexStringLower(SHA256.HashData(
            Encoding.UTF8.GetBytes($"{ticket.HelpDesk}\n{ticket.Instance}\n{ticket.TicketId}\n{ticket.DeliveryId}\n{index}")))[..32];
}
