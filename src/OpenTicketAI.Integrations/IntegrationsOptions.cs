using OpenTicketAI.Storage;

namespace OpenTicketAI.Integrations;

/// <summary>Shared integration settings (configuration section <c>Integrations</c>).</summary>
public sealed class IntegrationsOptions
{
    public const string SectionName = "Integrations";

    /// <summary>Where the outbox database (<c>integrations.db</c>) lives; relative paths start at the content root. Mount it on a volume.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Where the outbox, deliveries, stored replies, poll cursors and ticket values live: <c>Sqlite</c> (one file in
    /// <see cref="DataDirectory"/>, one replica) or <c>PostgreSql</c> (shared by every replica; claims, leases and leadership).
    /// </summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite: empty for <c>integrations.db</c> in <see cref="DataDirectory"/>, or a connection string. PostgreSQL: an Npgsql
    /// connection string, required; set it from the environment.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Optional JSON file holding <c>Rules</c> and <c>Review</c>, used instead of <c>Integrations:Rules</c>/<c>Integrations:Review</c>.</summary>
    public string? RulesFile { get; set; }

    /// <summary>Targets of the <c>notify</c> action, by name.</summary>
    public Dictionary<string, NotificationTargetOptions> Notifications { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Run the background pollers of instances with polling enabled (off only for tests that poll by hand).</summary>
    public bool RunPollers { get; set; } = true;

    public const string DatabaseFile = "integrations.db";
}

/// <summary>A webhook the <c>notify 'name'</c> action POSTs a JSON summary to (chat, paging, ...).</summary>
public sealed class NotificationTargetOptions
{
    /// <summary>Absolute http(s) URL.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Optional: signs the body as <c>X-OpenTicketAI-Signature: sha256=&lt;hex HMAC&gt;</c>. Set it from the environment.</summary>
    public string? Secret { get; set; }
}
