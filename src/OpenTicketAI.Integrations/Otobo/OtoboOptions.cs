using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Znuny;

namespace OpenTicketAI.Integrations.Otobo;

/// <summary>OTOBO instances (configuration section <c>Integrations:Otobo</c>).</summary>
public sealed class OtoboOptions : IHelpDeskOptions<OtoboInstanceOptions>
{
    public const string SectionName = "Integrations:Otobo";

    public List<OtoboInstanceOptions> Instances { get; set; } = [];
}

/// <summary>
/// One OTOBO. Its <c>Ticket::TicketCreate</c> invoker only reports the ticket, so the result is written with the provider
/// operation <c>TicketUpdate</c> over REST, through the outbox. Credentials come from the environment and are added to
/// each request as it is sent, never stored.
/// </summary>
public sealed class OtoboInstanceOptions : GenericInterfaceInstanceOptions
{
    /// <summary>Path of the web service's TicketUpdate route under <see cref="Connectors.HelpDeskInstanceOptions.BaseUrl"/>, without the ticket id.</summary>
    public string TicketUpdatePath { get; set; } = "otobo/nph-genericinterface.pl/Webservice/OpenTicketAI/Ticket";

    /// <summary>HTTP method of the TicketUpdate route (the shipped web service maps PATCH).</summary>
    public string TicketUpdateMethod { get; set; } = "PATCH";

    /// <summary>Agent login the TicketUpdate operation runs as.</summary>
    public string? UserLogin { get; set; }

    /// <summary>That agent's password.</summary>
    public string? Password { get; set; }

    /// <summary>Instead of login and password: a session id (<c>SessionCreate</c>).</summary>
    public string? SessionId { get; set; }
}
