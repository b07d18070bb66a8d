using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenTicketAI.Core.Security;

namespace OpenTicketAI.Api.Security;

/// <summary>The configured keys by hash. Lookup compares the presented key's hash with every configured hash in constant time.</summary>
public sealed class ApiKeyRegistry(IOptions<SecurityOptions> options)
{
    /// <summary>Longer values are not keys; they are refused before hashing.</summary>
    public const int MaxKeyLength = 256;

    // Entries were checked by SecurityOptionsValidator at start-up; unknown scopes cannot occur here.
    private readonly IReadOnlyList<ApiClient> _clients = options.Value.ApiKeys
        .Select(k => new ApiClient(
            k.Client,
            ApiKeys.ParseHash(k.Hash) ?? [],
            ApiScopes.Expand(k.Scopes.Select(s => ApiScopes.TryParse(s, out var scope) ? scope : (ApiScope?)null).OfType<ApiScope>())))
        .ToList();

    public ApiClient? Find(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return null;
        }

        var hash = ApiKeys.HashBytes(key);
        ApiClient? found = null;
        foreach (var client in _clients)
        {
            // No early exit: the time taken does not tell which entry, if any, matched.
            if (CryptographicOperations.FixedTimeEquals(hash, client.Hash))
            {
                found = client;
            }
        }

        return found;
    }
}

public sealed record ApiClient(string Name, byte[] Hash, IReadOnlySet<ApiScope> Scopes);
