using Microsoft.Extensions.Options;
using OpenTicketAI.Core.Security;

namespace OpenTicketAI.Api.Security;

/// <summary>Stops the host at start-up when keys are required but none is configured, or an entry is malformed.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const string NoKeys =
        "Security:RequireApiKeys is true but Security:ApiKeys is empty, so every request would be refused. "
        + "Create a key with 'otai apikey new --client NAME --scope predict' and add the printed entry "
        + "(e.g. OTAI__Security__ApiKeys__0__Client, ...__Hash, ...__Scopes__0), or set Security:RequireApiKeys to false on a trusted network.";

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        if (options.RequireApiKeys && options.ApiKeys.Count == 0)
        {
            errors.Add(NoKeys);
        }

        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"Security:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Client))
            {
                errors.Add($"{at}:Client is required: the name of the client that uses this key.");
            }

            if (ApiKeys.ParseHash(key.Hash) is null)
            {
                errors.Add($"{at}:Hash must be 'sha256:' and 64 hex digits, as printed by 'otai apikey new'; got '{Shorten(key.Hash)}'.");
            }
            else if (!hashes.Add(key.Hash))
            {
                errors.Add($"{at}:Hash is configured twice; give each client its own key.");
            }

            if (key.Scopes.Count == 0)
            {
                errors.Add($"{at}:Scopes is empty; give at least one of {string.Join(", ", ApiScopes.Names)}.");
            }

            foreach (var scope in key.Scopes.Where(s => !ApiScopes.TryParse(s, out _)))
            {
                errors.Add($"{at}:Scopes has '{scope}'; known scopes are {string.Join(", ", ApiScopes.Names)}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Shorten(string? value) => value is null ? string.Empty : value.Length <= 16 ? value : value[..16] + "…";
}
