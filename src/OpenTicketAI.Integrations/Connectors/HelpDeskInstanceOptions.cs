using OpenTicketAI.Integrations.Answers;

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

    /// <summary>Polling mode, for a help desk that cannot push (UVDesk) or should not (Zammad without a trigger).</summary>
    public PollingOptions Polling { get; set; } = new();

    /// <summary>Suggested replies and summaries as internal notes: off unless opted in.</summary>
    public AnswerNotesOptions Answers { get; set; } = new();
}

/// <summary>
/// How a polling instance fetches new tickets. The poller keeps a cursor (every ticket id up to it is done) and the set of
/// processed tickets in the integrations database, so no ticket is processed twice or skipped, across restarts too.
/// </summary>
public sealed class PollingOptions
{
    /// <summary>Poll this instance. UVDesk instances poll by default (its API cannot push).</summary>
    public bool Enabled { get; set; }

    /// <summary>Time between passes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tickets per page requested from the help desk.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>Pages read per pass at most; the rest is read in the next pass.</summary>
    public int MaxPages { get; set; } = 20;

    /// <summary>Tickets with an id up to this are never classified (the help desk's history); 0 classifies every ticket the list returns.</summary>
    public long StartAfterTicketId { get; set; }

    /// <summary>Zammad only: the search query selecting tickets to classify, e.g. <c>state.name:new</c>.</summary>
    public string Query { get; set; } = "state.name:new";
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
