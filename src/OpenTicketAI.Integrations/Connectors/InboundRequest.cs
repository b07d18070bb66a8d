namespace OpenTicketAI.Integrations.Connectors;

/// <summary>A webhook call as received: the raw body (signatures cover the exact bytes) and the headers.</summary>
public sealed class InboundRequest
{
    private readonly Dictionary<string, string> _headers;

    public InboundRequest(ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        Body = body;
        _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            _headers[name] = value;
        }
    }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The header's value, or null; names are case-insensitive.</summary>
    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;
}
