namespace OpenTicketAI.Api.Security;

/// <summary>Who may call the service (configuration section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Refuse requests without a valid key (except health checks and signed webhooks). Off only in appsettings.Development.json.</summary>
    public bool RequireApiKeys { get; set; } = true;

    /// <summary>One entry per client; create one with <c>otai apikey new --client NAME --scope predict</c>.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];
}

/// <summary>A client's key, stored only as its hash.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The client's name, used in logs and as its rate-limit partition.</summary>
    public string Client { get; set; } = string.Empty;

    /// <summary><c>sha256:</c> and the 64 hex digits of the SHA-256 of the key.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary><c>predict</c>, <c>feedback</c>, <c>admin</c> (implies all) or <c>train</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}
