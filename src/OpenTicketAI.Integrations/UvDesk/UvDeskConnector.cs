using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Polling;

namespace OpenTicketAI.Integrations.UvDesk;

/// <summary>
/// UVDesk with the API bundle (uvdesk/api-bundle): tickets come by polling <c>GET /api/v1/tickets?page=N</c> (API/Tickets.php
/// fetchTickets: <c>{ tickets: [...], pagination: {...} }</c>) and <c>GET /api/v1/ticket/{id}</c> for the first message;
/// results go back with <c>PATCH /api/v1/ticket/{id}</c> and <c>{ property, value }</c> (API/Tickets.php editTicketProperties:
/// <c>priority</c> and <c>group</c> take ids; <c>label</c> there REMOVES a label, so tags are not written) and
/// <c>POST /api/v1/ticket/{id}/thread</c> with <c>threadType: note</c>, <c>message</c>, <c>actAsType: agent</c>,
/// <c>actAsEmail</c> (API/Threads.php saveThread). Authentication: <c>Authorization: Bearer &lt;token&gt;</c>.
/// </summary>
public sealed class UvDeskConnector(IOptions<UvDeskOptions> options) : IHelpDeskConnector, IPollingSource
{
    public const string Name = "uvdesk";

    public string HelpDesk => Name;

    public string CredentialKey => $"{UvDeskOptions.SectionName}:Instances:<n>:Token";

    public IReadOnlyList<HelpDeskInstanceOptions> Instances { get; } = options.Value.Instances;

    /// <summary>UVDesk has no webhooks; a call here is refused.</summary>
    public InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request) =>
        InboundResult.Ignore("UVDesk tickets are read by polling; this endpoint takes no UVDesk calls.");

    public IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes)
    {
        var uvdesk = (UvDeskInstanceOptions)instance;
        var path = $"api/v1/ticket/{Uri.EscapeDataString(ticket.TicketId)}";
        var requests = new List<WriteBackRequest>();
        if (changes.Priority is not null)
        {
            requests.Add(Patch(path, ticket, "priority", changes.Priority));
        }

        if (changes.Queue is not null)
        {
            requests.Add(Patch(path, ticket, "group", changes.Queue));
        }

        foreach (var (note, index) in changes.Notes.Select((n, i) => (n, i)))
        {
            var marker = WriteBackCheck.MarkerFor(ticket, index);
            requests.Add(new WriteBackRequest(
                "POST",
                path + "/thread",
                Json.Serialize(new Dictionary<string, object?>
                {
                    ["threadType"] = "note",
                    ["message"] = HtmlText.WithMarker(note, marker),
                    ["actAsType"] = "agent",
                    ["actAsEmail"] = uvdesk.AgentEmail,
                }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, "add note"),
                new WriteBackCheck(path, marker)));
        }

        return requests;
    }

    public void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client)
    {
        var uvdesk = (UvDeskInstanceOptions)instance;
        HelpDeskApi.UseBaseAddress(client, uvdesk.BaseUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", uvdesk.Token);
    }

    public async Task<PolledPage> FetchPageAsync(HttpClient client, HelpDeskInstanceOptions instance, int page, CancellationToken cancellationToken)
    {
        using var document = await HelpDeskApi.GetJsonAsync(client, $"api/v1/tickets?page={page.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        var root = document.RootElement;
        var tickets = root.Items("tickets")
            .Select(t => t.Number("id") is { } id ? new PolledTicket(id, t.Clone()) : null)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToList();
        var pagination = root.Child("pagination");
        var last = pagination.Number("lastPage") ?? pagination.Number("last");
        var hasMore = tickets.Count > 0 && (last is null || page < last);
        return new PolledPage(tickets, hasMore);
    }

    public async Task<TicketEvent?> LoadAsync(HttpClient client, HelpDeskInstanceOptions instance, PolledTicket ticket, CancellationToken cancellationToken)
    {
        var id = ticket.Id.ToString(CultureInfo.InvariantCulture);
        using var document = await HelpDeskApi.GetJsonAsync(client, $"api/v1/ticket/{id}", cancellationToken);
        var detail = document.RootElement.Child("ticket");
        var threads = detail.Items("threads").ToList();
        var first = threads.FirstOrDefault(t => t.Text("threadType") == "create");
        var body = (first.ValueKind == JsonValueKind.Object ? first : threads.FirstOrDefault()).Text("message");
        body = body is null ? null : HtmlText.ToPlainText(body);
        var subject = detail.Text("subject") ?? ticket.Data.Text("subject");
        if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        return new TicketEvent(
            Name,
            instance.Name,
            ticket.DeliveryId,
            "poll",
            id,
            detail.Text("incrementId") ?? ticket.Data.Text("incrementId"),
            subject,
            body,
            detail.Child("supportGroup").Text("id"),
            detail.Child("priority").Text("id"),
            []);
    }

    private static WriteBackRequest Patch(string path, TicketEvent ticket, string property, string value) => new(
        "PATCH",
        path,
        Json.Serialize(new Dictionary<string, object>
        {
            ["property"] = property,
            ["value"] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : value,
        }),
        WriteBackRequest.NoHeaders,
        Describe(ticket, $"set {property} {value}"));

    private static string Describe(TicketEvent ticket, string what) => $"UVDesk {ticket.Instance} ticket {ticket.TicketNumber ?? ticket.TicketId}: {what}";
}

/// <summary>Start-up checks for <see cref="UvDeskOptions"/>.</summary>
public sealed class UvDeskOptionsValidator(IOptions<Rules.RulesOptions> rules)
    : HelpDeskOptionsValidator<UvDeskOptions, UvDeskInstanceOptions>(rules, UvDeskOptions.SectionName)
{
    protected override void ValidateInstance(string key, UvDeskInstanceOptions instance, List<string> errors)
    {
        foreach (var (label, value) in instance.Mappings.Queues.Concat(instance.Mappings.Priorities))
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                errors.Add($"{key}:Mappings: '{label}' must map to a UVDesk id (support group or priority id, a positive number); got '{value}'.");
            }
        }

        if (!instance.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(instance.Token))
        {
            errors.Add($"{key}:Token is required: an API bundle access token; set it from the environment.");
        }

        if (string.IsNullOrWhiteSpace(instance.AgentEmail))
        {
            errors.Add($"{key}:AgentEmail is required: the agent notes are written as.");
        }
    }
}
