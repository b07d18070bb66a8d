using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.UvDesk;

/// <summary>UVDesk instances with the API bundle (configuration section <c>Integrations:UvDesk</c>).</summary>
public sealed class UvDeskOptions : IHelpDeskOptions<UvDeskInstanceOptions>
{
    public const string SectionName = "Integrations:UvDesk";

    public List<UvDeskInstanceOptions> Instances { get; set; } = [];
}

/// <summary>
/// One UVDesk. Queue mappings name support group ids, priority mappings priority ids (1 Low, 2 Medium, 3 High, 4 Urgent in a
/// fresh install). Tickets are read by polling: UVDesk cannot call a webhook.
/// </summary>
public sealed class UvDeskInstanceOptions : HelpDeskInstanceOptions
{
    public UvDeskInstanceOptions() => Polling.Enabled = true;

    /// <summary>An API access token (Apps → API, "Add credentials"), sent as <c>Authorization: Bearer …</c>; from the environment.</summary>
    public string? Token { get; set; }

    /// <summary>E-mail of the agent notes are written as (<c>actAsType: agent</c>, <c>actAsEmail</c>).</summary>
    public string? AgentEmail { get; set; }
}
