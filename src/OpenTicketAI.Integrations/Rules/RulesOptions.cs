namespace OpenTicketAI.Integrations.Rules;

/// <summary>
/// The rules and the review policy: configuration keys <c>Integrations:Rules</c> (an array) and <c>Integrations:Review</c>,
/// or the same two keys at the top of the file named by <c>Integrations:RulesFile</c>.
/// </summary>
public sealed class RulesOptions
{
    public List<RuleOptions> Rules { get; set; } = [];

    public ReviewOptions Review { get; set; } = new();

    /// <summary>Where the rules came from, for error messages: <c>Integrations</c> or the rules file's path.</summary>
    public string Source { get; set; } = "Integrations";

    /// <summary>Why the rules file could not be read, reported at start-up.</summary>
    public string? LoadError { get; set; }
}

/// <summary>One if-then rule.</summary>
public sealed class RuleOptions
{
    /// <summary>Unique name, shown in the dry run, logs and notifications.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The condition, e.g. <c>priority == 'High' and confidence.priority &gt;= 0.8</c>.</summary>
    public string When { get; set; } = string.Empty;

    /// <summary>Actions when the condition holds, e.g. <c>set priority = 'Urgent'</c>, <c>notify 'tier2'</c>.</summary>
    public List<string> Then { get; set; } = [];

    /// <summary>Stop evaluating later rules when this one fires.</summary>
    public bool Stop { get; set; }

    public bool Enabled { get; set; } = true;
}

/// <summary>Route a ticket to a person when the model is unsure.</summary>
public sealed class ReviewOptions
{
    /// <summary>The queue label for tickets that need review; mapped like any queue label. Null or empty disables review routing.</summary>
    public string? Queue { get; set; }

    /// <summary>Per head: a confidence below this sends the ticket to <see cref="Queue"/> and that head's prediction is not written.</summary>
    public Dictionary<string, double> Thresholds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Optional internal note when a ticket is routed to review; <c>{review.heads}</c> names the unsure heads.</summary>
    public string? Note { get; set; }
}
