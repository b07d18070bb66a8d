namespace OpenTicketAI.Integrations.Connectors;

/// <summary>Settings every help-desk instance has; each connector's instance type adds its credentials.</summary>
public abstract class HelpDeskInstanceOptions
{
    /// <summary>Heads whose predictions can be written back.</summary>
    public static readonly IReadOnlyList<string> WritableHeads = ["queue", "priority", "tags"];

    /// <summary>The instance's name in the webhook URL: <c>/integrations/{helpdesk}/{name}/webhook</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Disabled instances answer 404 and are never written to. Instances are disabled unless configured.</summary>
    public bool Enabled { get; set; }

    /// <summary>The help desk's address, e.g. <c>https://helpdesk.example.com/</c>.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>The model to classify with; null means the service's default model.</summary>
    public string? Model { get; set; }

    /// <summary><see cref="Model"/>, or null when unset or empty.</summary>
    public string? ModelOrDefault => string.IsNullOrWhiteSpace(Model) ? null : Model.Trim();

    /// <summary>Predicted heads written back without a rule (subject to mapping and review thresholds): any of queue, priority, tags.</summary>
    public List<string> Heads { get; set; } = [];

    /// <summary>Model or rule labels to help-desk values. A label without a mapping is skipped and logged, never written as is.</summary>
    public HelpDeskMappings Mappings { get; set; } = new();
}

/// <summary>Label → help-desk value tables; label keys match case-insensitively.</summary>
public sealed class HelpDeskMappings
{
    /// <summary>Queue label → the help desk's queue (Zammad group name, FreeScout mailbox id).</summary>
    public Dictionary<string, string> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Priority label → the help desk's priority (Zammad <c>3 high</c>; FreeScout has none: the value is written as a tag).</summary>
    public Dictionary<string, string> Priorities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Predicted tag → the help desk's tag. Tags named in rules are written as written.</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
