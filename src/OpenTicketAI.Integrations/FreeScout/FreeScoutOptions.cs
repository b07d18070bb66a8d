using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.FreeScout;

/// <summary>FreeScout instances with the API &amp; Webhooks module (configuration section <c>Integrations:FreeScout</c>).</summary>
public sealed class FreeScoutOptions : IHelpDeskOptions<FreeScoutInstanceOptions>
{
    public const string SectionName = "Integrations:FreeScout";

    public List<FreeScoutInstanceOptions> Instances { get; set; } = [];
}

/// <summary>One FreeScout. Queue mappings name mailbox ids; priorities map to tags (FreeScout has no priority field).</summary>
public sealed class FreeScoutInstanceOptions : HelpDeskInstanceOptions
{
    /// <summary>The module's API key (Manage → Settings → API &amp; Webhooks), sent as <c>X-FreeScout-API-Key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The key FreeScout signs webhooks with: <c>md5(APP_KEY + "webhook_key")</c> in hex. Give this or <see cref="AppKey"/>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>FreeScout's <c>APP_KEY</c> (from its .env, including the <c>base64:</c> prefix); the signing key is derived from it.</summary>
    public string? AppKey { get; set; }

    /// <summary>Accept unsigned deliveries when neither key is set. Off: only on a trusted network.</summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>The FreeScout user id notes and mailbox moves are made as (the API requires <c>user</c> and <c>byUser</c>).</summary>
    public int UserId { get; set; }

    /// <summary>The signing key in effect, or null.</summary>
    public string? SigningKey() =>
        !string.IsNullOrEmpty(WebhookSecret) ? WebhookSecret
        : !string.IsNullOrEmpty(AppKey) ? FreeScoutConnector.DeriveSigningKey(AppKey)
        : null;
}
