using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Zammad;

/// <summary>
/// Zammad: a trigger with a webhook action POSTs <c>{ticket, article}</c> here; results are written back with the REST API.
/// Formats: webhook headers and default payload from the Zammad admin documentation (manage/webhook/payload.rst:
/// <c>X-Zammad-Trigger</c>, <c>X-Zammad-Delivery</c>, <c>X-Hub-Signature</c>); the signature is
/// <c>sha1=</c> + hex HMAC-SHA1 of the raw body with the webhook's signature token (zammad lib/user_agent.rb
/// <c>set_signature</c>); a failed delivery is retried with the same delivery id (app/jobs/trigger_webhook_job.rb,
/// <c>retry_on … attempts: 5</c>, <c>X-Zammad-Delivery =&gt; job_id</c>). API: <c>PUT /api/v1/tickets/{id}</c> with
/// <c>group</c> and <c>priority</c> names, <c>POST /api/v1/tags/add</c> with <c>item/object/o_id</c>,
/// <c>POST /api/v1/ticket_articles</c> (docs.zammad.org api/ticket, api/ticket/tags, api/ticket/articles). A note carries
/// its once-only marker as the article's <c>message_id</c> (an article column the create call takes as given,
/// app/controllers/concerns/creates_ticket_articles.rb; invisible to agents), read back with
/// <c>GET /api/v1/ticket_articles/by_ticket/{id}</c> before a note is sent again.
/// </summary>
public sealed class ZammadConnector(IOptions<ZammadOptions> options) : IHelpDeskConnector
{
    public const string Name = "zammad";
    public const string SignatureHeader = "X-Hub-Signature";
    public const string DeliveryHeader = "X-Zammad-Delivery";
    public const string TriggerHeader = "X-Zammad-Trigger";

    public string HelpDesk => Name;

    public IReadOnlyList<HelpDeskInstanceOptions> Instances { get; } = options.Value.Instances;

    public InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request)
    {
        var zammad = (ZammadInstanceOptions)instance;
        if (!string.IsNullOrEmpty(zammad.WebhookSecret))
        {
            var signature = request.Header(SignatureHeader);
            if (signature is null || !signature.StartsWith("sha1=", StringComparison.OrdinalIgnoreCase))
            {
                return InboundResult.Unauthorized($"{SignatureHeader} is missing; set the webhook's HMAC SHA1 Signature Token in Zammad.");
            }

            var expected = WebhookSignature.HmacSha1(zammad.WebhookSecret, request.Body.Span);
            if (!WebhookSignature.MatchesHex(expected, signature["sha1=".Length..]))
            {
                return InboundResult.Unauthorized($"{SignatureHeader} does not match the body; check the webhook's HMAC SHA1 Signature Token.");
            }
        }
        else if (!zammad.AllowUnsignedWebhooks)
        {
            return InboundResult.Unauthorized("no WebhookSecret is configured for this instance, and unsigned webhooks are not allowed.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            return InboundResult.Invalid($"the body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var ticket = document.RootElement.Child("ticket");
            var ticketId = ticket.Text("id");
            if (ticketId is null)
            {
                return InboundResult.Invalid("the body has no ticket.id; use the webhook's default payload ({\"ticket\": …, \"article\": …}).");
            }

            var trigger = request.Header(TriggerHeader);
            if (!string.IsNullOrWhiteSpace(zammad.FeedbackTrigger) && string.Equals(trigger?.Trim(), zammad.FeedbackTrigger.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return InboundResult.Observe(Observe(zammad, ticketId, ticket, document.RootElement.Child("article"), DeliveryId(request), trigger!));
            }

            var article = document.RootElement.Child("article");
            if (article.ValueKind == JsonValueKind.Object && article.Flag("internal"))
            {
                return InboundResult.Ignore("the article is internal (an agent's note, or our own); only customer-visible articles are classified.");
            }

            var body = article.Text("body");
            if (body is not null && (article.Text("content_type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase))
            {
                body = HtmlText.ToPlainText(body);
            }

            var subject = ticket.Text("title") ?? article.Text("subject");
            if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
            {
                return InboundResult.Ignore("the ticket has neither a title nor an article body to classify.");
            }

            return InboundResult.Accept(new TicketEvent(
                Name,
                instance.Name,
                DeliveryId(request),
                request.Header(TriggerHeader) ?? "webhook",
                ticketId,
                ticket.Text("number"),
                subject,
                body,
                NameOf(ticket, "group"),
                NameOf(ticket, "priority"),
                ticket.Items("tags").Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList())
            {
                CreatedAt = ticket.Time("created_at"),
            });
        }
    }

    /// <summary>
    /// A delivery of the feedback trigger: the ticket's group and priority now, who updated it (<c>updated_by</c>, an object
    /// with <c>login</c> in the default payload), a public agent article (<c>sender</c> Agent, not <c>internal</c>) as a reply
    /// at its <c>created_at</c>, and a resolved state (<c>state</c>, a name) at <c>close_at</c> (Zammad's own close time).
    /// </summary>
    private static TicketObservation Observe(ZammadInstanceOptions zammad, string ticketId, JsonElement ticket, JsonElement article, string delivery, string trigger)
    {
        var actor = ticket.Child("updated_by").Text("login") ?? ticket.Text("updated_by");
        var updatedAt = ticket.Time("updated_at");
        var agentReply = article.ValueKind == JsonValueKind.Object
            && string.Equals(article.Text("sender"), "Agent", StringComparison.OrdinalIgnoreCase)
            && !article.Flag("internal")
                ? article.Time("created_at") ?? updatedAt
                : null;
        var state = NameOf(ticket, "state");
        var resolved = state is not null && zammad.ResolvedStates.Contains(state, StringComparer.OrdinalIgnoreCase)
            ? ticket.Time("close_at") ?? updatedAt
            : null;
        return new TicketObservation(
            Name,
            zammad.Name,
            delivery,
            trigger,
            ticketId,
            updatedAt,
            NameOf(ticket, "group"),
            NameOf(ticket, "priority"),
            actor,
            actor is not null && string.Equals(actor, zammad.ApiUserLogin, StringComparison.OrdinalIgnoreCase),
            agentReply,
            resolved);
    }

    /// <summary><c>X-Zammad-Delivery</c> (the same on Zammad's retries), or a hash of the body when it is missing.</summary>
    private static string DeliveryId(InboundRequest request) =>
        request.Header(DeliveryHeader) is { Length: > 0 } id ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(request.Body.Span));


    public IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes)
    {
        var zammad = (ZammadInstanceOptions)instance;
        var requests = new List<WriteBackRequest>();
        object ticketId = long.TryParse(ticket.TicketId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : ticket.TicketId;
        if (changes.Queue is not null || changes.Priority is not null)
        {
            var update = new Dictionary<string, string>(StringComparer.Ordinal);
            if (changes.Queue is not null)
            {
                update["group"] = changes.Queue;
            }

            if (changes.Priority is not null)
            {
                update["priority"] = changes.Priority;
            }

            requests.Add(new WriteBackRequest(
                "PUT",
                $"api/v1/tickets/{Uri.EscapeDataString(ticket.TicketId)}",
                Json.Serialize(update),
                WriteBackRequest.NoHeaders,
                Describe(ticket, string.Join(" and ", update.Select(u => $"set {u.Key} '{u.Value}'")))));
        }

        foreach (var tag in changes.Tags)
        {
            requests.Add(new WriteBackRequest(
                "POST",
                "api/v1/tags/add",
                Json.Serialize(new Dictionary<string, object> { ["item"] = tag, ["object"] = "Ticket", ["o_id"] = ticketId }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, $"add tag '{tag}'")));
        }

        foreach (var (note, index) in changes.Notes.Select((n, i) => (n, i)))
        {
            var marker = WriteBackCheck.MarkerFor(ticket, index);
            requests.Add(new WriteBackRequest(
                "POST",
                "api/v1/ticket_articles",
                Json.Serialize(new Dictionary<string, object>
                {
                    ["ticket_id"] = ticketId,
                    ["subject"] = zammad.NoteSubject,
                    ["body"] = note,
                    ["content_type"] = "text/plain",
                    ["type"] = "note",
                    ["internal"] = true,
                    ["message_id"] = $"<{marker}@open-ticket-ai>",
                }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, "add internal note"),
                new WriteBackCheck($"api/v1/ticket_articles/by_ticket/{Uri.EscapeDataString(ticket.TicketId)}", marker)));
        }

        return requests;
    }

    public void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client)
    {
        var zammad = (ZammadInstanceOptions)instance;
        ConfigureApiClient(client, zammad.BaseUrl, zammad.Token);
    }

    /// <summary>
    /// A client for the Zammad API at <paramref name="baseUrl"/> with its API token (<c>Authorization: Token token=…</c>):
    /// the service's (write-back, polling) and <c>otai index --from-zammad</c>'s.
    /// </summary>
    public static void ConfigureApiClient(HttpClient client, string baseUrl, string? token)
    {
        HelpDeskApi.UseBaseAddress(client, baseUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "token=" + token);
    }

    /// <summary>The default payload carries associations as objects with a <c>name</c>; a custom payload may send the name itself.</summary>
    private static string? NameOf(JsonElement ticket, string property) =>
        ticket.Child(property).Text("name") ?? ticket.Text(property);

    private static string Describe(TicketEvent ticket, string what) => $"Zammad {ticket.Instance} ticket {ticket.TicketNumber ?? ticket.TicketId}: {what}";
}

/// <summary>Start-up checks for <see cref="ZammadOptions"/>.</summary>
public sealed class ZammadOptionsValidator(IOptions<Rules.RulesOptions> rules)
    : HelpDeskOptionsValidator<ZammadOptions, ZammadInstanceOptions>(rules, ZammadOptions.SectionName)
{
    protected override void ValidateInstance(string key, ZammadInstanceOptions instance, List<string> errors)
    {
        if (!instance.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(instance.Token))
        {
            errors.Add($"{key}:Token is required: an API access token; set it from the environment (OTAI__{key.Replace(":", "__", StringComparison.Ordinal)}__Token), never in the repository.");
        }

        if (string.IsNullOrEmpty(instance.WebhookSecret) && !instance.AllowUnsignedWebhooks)
        {
            errors.Add($"{key}:WebhookSecret is required: the webhook's HMAC SHA1 Signature Token (or set AllowUnsignedWebhooks on a trusted network).");
        }
    }
}
