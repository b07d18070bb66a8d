using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against <see cref="ApiKeyRegistry"/>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string BearerPrefix = "Bearer ";

    /// <summary>Why authentication failed, for the 401 answer.</summary>
    public const string InvalidKey = "The API key is not valid.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadKey(Request) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (registry.Find(key) is not { } client)
        {
            return Task.FromResult(AuthenticateResult.Fail(InvalidKey));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, client.Name) };
        claims.AddRange(client.Scopes.Select(s => new Claim(ApiScopes.ClaimType, s.Name())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>The key from <c>X-Api-Key</c>, else from a Bearer <c>Authorization</c> header; null when neither is sent.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header))
        {
            return header.Count == 1 ? header[0]!.Trim() : string.Empty;
        }

        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return null;
        }

        var value = authorization.Count == 1 ? authorization[0] ?? string.Empty : string.Empty;
        return value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? value[BearerPrefix.Length..].Trim() : string.Empty;
    }
}
