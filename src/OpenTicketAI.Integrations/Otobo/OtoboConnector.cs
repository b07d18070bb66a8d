using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Znuny;

namespace OpenTicketAI.Integrations.Otobo;

/// <summary>
/// OTOBO: the requester invoker <c>Ticket::TicketCreate</c> POSTs the new ticket here (same reader as Znuny); the result is
/// written back with the provider operation <c>TicketUpdate</c>, over REST with JSON: <c>UserLogin</c>/<c>Password</c> (or
/// <c>SessionID</c>), <c>TicketID</c>, <c>Ticket: { Queue, Priority }</c> and an <c>Article</c> with <c>Subject</c>,
/// <c>Body</c>, <c>ContentType</c>, <c>CommunicationChannel: Internal</c>, <c>IsVisibleForCustomer: 0</c> for the note
/// (OTOBO Kernel/GenericInterface/Operation/Ticket/TicketUpdate.pm; the REST example
/// development/webservices/otobo.RESTRequest.pl PATCHes <c>/Webservice/&lt;name&gt;/Ticket/&lt;TicketID&gt;</c>).
/// </summary>
public sealed class OtoboConnector(IOptions<OtoboOptions> options) : IHelpDeskConnector, IWriteBackCredentials
{
    public const string Name = "otobo";

    public string HelpDesk => Name;

    public IReadOnlyList<HelpDeskInstanceOptions> Instances { get; } = options.Value.Instances;

    public InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request) =>
        GenericInterfaceRequest.Authenticate((OtoboInstanceOptions)instance, request) ?? GenericInterfaceRequest.Parse(Name, instance, request);

    public IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes)
    {
        var otobo = (OtoboInstanceOptions)instance;
        if (changes.Queue is null && changes.Priority is null && changes.Notes.Count == 0)
        {
            return [];
        }

        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["TicketID"] = long.TryParse(ticket.TicketId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : ticket.TicketId,
        };
        var what = new List<string>();
        if (changes.Queue is not null || changes.Priority is not null)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (changes.Queue is not null)
            {
                fields["Queue"] = changes.Queue;
                what.Add($"set queue '{changes.Queue}'");
            }

            if (changes.Priority is not null)
            {
                fields["Priority"] = changes.Priority;
                what.Add($"set priority '{changes.Priority}'");
            }

            body["Ticket"] = fields;
        }

        if (changes.Notes.Count > 0)
        {
            body["Article"] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["Subject"] = otobo.NoteSubject,
                ["Body"] = string.Join("\n\n", changes.Notes),
                ["ContentType"] = "text/plain; charset=utf8",
                ["CommunicationChannel"] = "Internal",
                ["IsVisibleForCustomer"] = 0,
                ["SenderType"] = "agent",
            };
            what.Add("add internal note");
        }

        return
        [
            new WriteBackRequest(
                otobo.TicketUpdateMethod.ToUpperInvariant(),
                $"{otobo.TicketUpdatePath.Trim('/')}/{Uri.EscapeDataString(ticket.TicketId)}",
                Json.Serialize(body),
                WriteBackRequest.NoHeaders,
                $"OTOBO {ticket.Instance} ticket {ticket.TicketNumber ?? ticket.TicketId}: TicketUpdate ({string.Join(", ", what)})"),
        ];
    }

    public void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client) => HelpDeskApi.UseBaseAddress(client, instance.BaseUrl);

    public DelegatingHandler? CreateHandler(HelpDeskInstanceOptions instance) => new CredentialsHandler((OtoboInstanceOptions)instance);

    /// <summary>Puts the operation's credentials first in the JSON body as the request leaves, so the outbox never holds them.</summary>
    private sealed class CredentialsHandler(OtoboInstanceOptions instance) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null && JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) is JsonObject original)
            {
                var body = new JsonObject();
                if (!string.IsNullOrEmpty(instance.SessionId))
                {
                    body["SessionID"] = instance.SessionId;
                }
                else
                {
                    body["UserLogin"] = instance.UserLogin;
                    body["Password"] = instance.Password;
                }

                foreach (var (key, value) in original.ToList())
                {
                    original.Remove(key);
                    body[key] = value;
                }

                request.Content = new StringContent(body.ToJsonString(JsonOptions), Encoding.UTF8, "application/json");
            }

            return await base.SendAsync(request, cancellationToken);
        }

        private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }
}

/// <summary>Start-up checks for <see cref="OtoboOptions"/>.</summary>
public sealed class OtoboOptionsValidator(IOptions<Rules.RulesOptions> rules)
    : HelpDeskOptionsValidator<OtoboOptions, OtoboInstanceOptions>(rules, OtoboOptions.SectionName)
{
    protected override void ValidateInstance(string key, OtoboInstanceOptions instance, List<string> errors)
    {
        if (!instance.Enabled)
        {
            return;
        }

        if (string.IsNullOrEmpty(instance.WebhookPassword) && !instance.AllowUnsignedWebhooks)
        {
            errors.Add($"{key}:WebhookPassword is required: the requester's BasicAuth password (or set AllowUnsignedWebhooks on a trusted network).");
        }

        if (string.IsNullOrEmpty(instance.SessionId) && (string.IsNullOrEmpty(instance.UserLogin) || string.IsNullOrEmpty(instance.Password)))
        {
            errors.Add($"{key}: UserLogin and Password (or SessionId) are required for TicketUpdate; set them from the environment.");
        }
    }
}
