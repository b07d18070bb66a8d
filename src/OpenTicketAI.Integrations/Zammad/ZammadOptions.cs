using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Zammad;

/// <summary>Zammad instances (configuration section <c>Integrations:Zammad</c>).</summary>
public sealed class ZammadOptions : IHelpDeskOptions<ZammadInstanceOptions>
{
    public const string SectionName = "Integrations:Zammad";

    public List<ZammadInstanceOptions> Instances { get; set; } = [];
}

/// <summary>One Zammad. Secrets come from the environment, e.g. <c>OTAI__Integrations__Zammad__Instances__0__Token</c>.</summary>
public sealed class ZammadInstanceOptions : HelpDeskInstanceOptions
{
    /// <summary>API access token of an agent with ticket.agent on the groups written to (Profile → Token Access). Sent as <c>Authorization: Token token=…</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The webhook's "HMAC SHA1 Signature Token"; deliveries without a matching <c>X-Hub-Signature</c> are refused with 401.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Accept deliveries without a signature when no <see cref="WebhookSecret"/> is set. Off: only for a Zammad on a trusted network.</summary>
    public bool AllowUnsignedWebhooks { get; set; }

    /// <summary>Subject of the internal notes written to tickets.</summary>
    public string NoteSubject { get; set; } = "Open Ticket AI";

    /// <summary>
    /// Name of the Zammad trigger that reports ticket updates (<c>X-Zammad-Trigger</c>): its deliveries become feedback and
    /// lifecycle events and are never classified. Deliveries of every other trigger are classified as before.
    /// </summary>
    public string FeedbackTrigger { get; set; } = "Open Ticket AI: feedback";

    /// <summary>Login of the agent whose API token the service writes with; its changes are never taken as corrections.</summary>
    public string? ApiUserLogin { get; set; }

    /// <summary>Ticket state names that count as resolved.</summary>
    public List<string> ResolvedStates { get; set; } = ["closed"];
}
