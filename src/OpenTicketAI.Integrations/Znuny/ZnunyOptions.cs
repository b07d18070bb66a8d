using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Znuny;

/// <summary>Znuny instances (configuration section <c>Integrations:Znuny</c>).</summary>
public sealed class ZnunyOptions : IHelpDeskOptions<ZnunyInstanceOptions>
{
    public const string SectionName = "Integrations:Znuny";

    public List<ZnunyInstanceOptions> Instances { get; set; } = [];
}

/// <summary>Settings shared by the Generic Interface help desks (Znuny, OTOBO).</summary>
public abstract class GenericInterfaceInstanceOptions : HelpDeskInstanceOptions
{
    /// <summary>User name the requester sends with HTTP Basic authentication.</summary>
    public string WebhookUser { get; set; } = "otai";

    /// <summary>Password the requester sends with HTTP Basic authentication; from the environment.</summary>
    public string? WebhookPassword { get; set; }

    /// <summary>Accept requests without credentials when no <see cref="WebhookPassword"/> is set. Off: trusted networks only.</summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>Subject of the internal notes written to tickets.</summary>
    public string NoteSubject { get; set; } = "Open Ticket AI";
}

/// <summary>One Znuny. The result is applied by Znuny from the response; nothing is sent to Znuny's API.</summary>
public sealed class ZnunyInstanceOptions : GenericInterfaceInstanceOptions
{
    /// <summary>Model head → Znuny dynamic field that gets the predicted label(s), e.g. <c>{ "queue": "OTAIQueue" }</c>.</summary>
    public Dictionary<string, string> DynamicFields { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
