using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.FreeScout;

/// <summary>
/// FreeScout with the API &amp; Webhooks module: a webhook for <c>convo.created</c> POSTs the conversation object here.
/// Formats, from the module (Modules/ApiWebhooks: Entities/Webhook.php, Providers/ApiWebhooksServiceProvider.php,
/// Http/Controllers/ApiController.php) and freescout.net/module/api-webhooks: the event is in <c>X-FreeScout-Event</c>;
/// <c>X-FreeScout-Signature</c> is base64 of the raw HMAC-SHA1 of the JSON body keyed with <c>md5(APP_KEY . 'webhook_key')</c>;
/// failed deliveries are retried up to 10 times. API (header <c>X-FreeScout-API-Key</c>): <c>PUT /api/conversations/{id}</c>
/// with <c>mailboxId</c> and the required <c>byUser</c>; <c>PUT /api/conversations/{id}/tags</c> replaces every tag, so the
/// ticket's tags are sent along; <c>POST /api/conversations/{id}/threads</c> with <c>type: note</c>, <c>text</c>, <c>user</c>.
/// </summary>
public sealed class FreeScoutConnector(IOptions<FreeScoutOptions> options) : IHelpDeskConnector
{
    public const string Name = "freescout";
    public const string EventHeader = "X-FreeScout-Event";
    public const string SignatureHeader = "X-FreeScout-Signature";
    public const string ApiKeyHeader = "X-FreeScout-API-Key";
    public const string CreatedEvent = "convo.created";
    public const string MovedEvent = "convo.moved";
    public const string StatusEvent = "convo.status";
    public const string AgentReplyEvent = "convo.agent.reply.created";

    /// <summary>Events that become feedback and lifecycle events (the module's event list, Entities/Webhook.php).</summary>
    public static readonly IReadOnlyList<string> ObservedEvents = [MovedEvent, StatusEvent, AgentReplyEvent];

    public string HelpDesk => Name;

    public IReadOnlyList<HelpDeskInstanceOptions> Instances { get; } = options.Value.Instances;

    /// <summary>The key FreeScout signs with: <c>md5(APP_KEY . 'webhook_key')</c> as lower-case hex (Webhook::getSecretKey).</summary>
    public static string DeriveSigningKey(string appKey) =>
#pragma warning disable CA5351 // MD5 is what FreeScout uses to derive its key; it is not our choice of hash.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(appKey + "webhook_key")));
#pragma warning restore CA5351

    public InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request)
    {
        var freeScout = (FreeScoutInstanceOptions)instance;
        if (freeScout.SigningKey() is { } key)
        {
            var expected = WebhookSignature.HmacSha1(key, request.Body.Span);
            if (!WebhookSignature.MatchesBase64(expected, request.Header(SignatureHeader)))
            {
                return InboundResult.Unauthorized($"{SignatureHeader} is missing or does not match the body; check WebhookSecret/AppKey.");
            }
        }
        else if (!freeScout.AllowUnsignedWebhooks)
        {
            return InboundResult.Unauthorized("no WebhookSecret or AppKey is configured for this instance, and unsigned webhooks are not allowed.");
        }

        var eventType = request.Header(EventHeader);
        var observed = eventType is not null && ObservedEvents.Contains(eventType);
        if (!string.Equals(eventType, CreatedEvent, StringComparison.Ordinal) && !observed)
        {
            return InboundResult.Ignore($"event '{eventType}' is not {CreatedEvent} or one of {string.Join(", ", ObservedEvents)}.");
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
            var conversation = document.RootElement;
            var id = conversation.Text("id");
            if (id is null)
            {
                return InboundResult.Invalid("the body has no id; expected the conversation object.");
            }

            var embedded = conversation.Child("_embedded");
            var threads = embedded.Items("threads").ToList();
            if (observed)
            {
                return InboundResult.Observe(Observe(freeScout, id, eventType!, conversation, threads, request));
            }

            // Threads come newest first; the conversation's first message is the oldest customer (or agent) message.
            var first = threads.LastOrDefault(t => t.Text("type") == "customer");
            if (first.ValueKind != JsonValueKind.Object)
            {
                first = threads.LastOrDefault(t => t.Text("type") == "message");
            }

            var body = first.ValueKind == JsonValueKind.Object ? first.Text("body") : null;
            body = body is null ? conversation.Text("preview") : HtmlText.ToPlainText(body);
            var subject = conversation.Text("subject");
            if (string.IsNullOrWhiteSpace(subject) && string.IsNullOrWhiteSpace(body))
            {
                return InboundResult.Ignore("the conversation has neither a subject nor a message to classify.");
            }

            var tags = embedded.Items("tags").Concat(conversation.Items("tags"))
                .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : t.Text("name"))
                .Where(t => !string.IsNullOrWhiteSpace(t))
                .Select(t => t!)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();

            return InboundResult.Accept(new TicketEvent(
                Name,
                instance.Name,
                $"{CreatedEvent}:{id}",
                CreatedEvent,
                id,
                conversation.Text("number"),
                subject,
                body,
                conversation.Text("mailboxId"),
                null,
                tags)
            {
                CreatedAt = conversation.Time("createdAt"),
            });
        }
    }

    /// <summary>
    /// <c>convo.moved</c>, <c>convo.status</c> or <c>convo.agent.reply.created</c>: the conversation as it is now (the module
    /// sends the same conversation object). Threads come newest first: the newest one is the change (a <c>lineitem</c> for a
    /// move or status change, a <c>message</c> for an agent reply) and its <c>createdBy</c> the user who made it. A status of
    /// <c>closed</c> is resolved at <c>closedAt</c>. The delivery id hashes the body, which the module resends unchanged.
    /// </summary>
    private static TicketObservation Observe(FreeScoutInstanceOptions instance, string id, string eventType, JsonElement conversation, List<JsonElement> threads, InboundRequest request)
    {
        var newest = threads.FirstOrDefault();
        var actor = newest.ValueKind == JsonValueKind.Object ? newest.Child("createdBy").Text("id") : null;
        var reply = eventType == AgentReplyEvent ? threads.FirstOrDefault(t => t.Text("type") == "message") : default;
        var resolved = string.Equals(conversation.Text("status"), "closed", StringComparison.OrdinalIgnoreCase)
            ? conversation.Time("closedAt") ?? conversation.Time("updatedAt")
            : null;
        return new TicketObservation(
            Name,
            instance.Name,
            $"{eventType}:{id}:{Convert.ToHexStringLower(SHA256.HashData(request.Body.Span))[..32]}",
            eventType,
            id,
            (newest.ValueKind == JsonValueKind.Object ? newest.Time("createdAt") : null) ?? conversation.Time("updatedAt"),
            conversation.Text("mailboxId"),
            null,
            actor,
            actor is not null && actor == instance.UserId.ToString(CultureInfo.InvariantCulture),
            reply.ValueKind == JsonValueKind.Object ? reply.Time("createdAt") : null,
            resolved);
    }


    public IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes)
    {
        var freeScout = (FreeScoutInstanceOptions)instance;
        var requests = new List<WriteBackRequest>();
        var path = $"api/conversations/{Uri.EscapeDataString(ticket.TicketId)}";
        if (changes.Queue is not null)
        {
            var mailbox = int.Parse(changes.Queue, NumberStyles.Integer, CultureInfo.InvariantCulture);
            requests.Add(new WriteBackRequest(
                "PUT",
                path,
                Json.Serialize(new Dictionary<string, object> { ["mailboxId"] = mailbox, ["byUser"] = freeScout.UserId }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, $"move to mailbox {mailbox}")));
        }

        // No priority field in FreeScout: the mapped priority is a tag.
        var added = changes.Tags.ToList();
        if (changes.Priority is not null)
        {
            added.Insert(0, changes.Priority);
        }

        added = added.Where(t => !ticket.ExistingTags.Contains(t, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (added.Count > 0)
        {
            // The endpoint replaces the whole list: send the conversation's tags too, or they would be removed.
            var all = ticket.ExistingTags.Concat(added).ToList();
            requests.Add(new WriteBackRequest(
                "PUT",
                path + "/tags",
                Json.Serialize(new Dictionary<string, object> { ["tags"] = all }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, $"add tags {string.Join(", ", added.Select(t => $"'{t}'"))}")));
        }

        foreach (var (note, index) in changes.Notes.Select((n, i) => (n, i)))
        {
            var marker = WriteBackCheck.MarkerFor(ticket, index);
            requests.Add(new WriteBackRequest(
                "POST",
                path + "/threads",
                Json.Serialize(new Dictionary<string, object>
                {
                    ["type"] = "note",
                    ["text"] = HtmlText.WithMarker(note, marker),
                    ["user"] = freeScout.UserId,
                }),
                WriteBackRequest.NoHeaders,
                Describe(ticket, "add note"),
                new WriteBackCheck(path + "?embed=threads", marker)));
        }

        return requests;
    }

    public void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client)
    {
        var freeScout = (FreeScoutInstanceOptions)instance;
        ConfigureApiClient(client, freeScout.BaseUrl, freeScout.ApiKey);
    }

    /// <summary>
    /// A client for the FreeScout API at <paramref name="baseUrl"/> with its API key (<see cref="ApiKeyHeader"/>): the
    /// service's (write-back) and <c>otai index --from-freescout</c>'s.
    /// </summary>
    public static void ConfigureApiClient(HttpClient client, string baseUrl, string? apiKey)
    {
        HelpDeskApi.UseBaseAddress(client, baseUrl);
        client.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
    }

    private static string Describe(TicketEvent ticket, string what) => $"FreeScout {ticket.Instance} conversation {ticket.TicketNumber ?? ticket.TicketId}: {what}";
}

/// <summary>Start-up checks for <see cref="FreeScoutOptions"/>.</summary>
public sealed class FreeScoutOptionsValidator(IOptions<Rules.RulesOptions> rules)
    : HelpDeskOptionsValidator<FreeScoutOptions, FreeScoutInstanceOptions>(rules, FreeScoutOptions.SectionName)
{
    protected override void ValidateInstance(string key, FreeScoutInstanceOptions instance, List<string> errors)
    {
        foreach (var (label, mailbox) in instance.Mappings.Queues)
        {
            if (!int.TryParse(mailbox, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                errors.Add($"{key}:Mappings:Queues:{label} must be a FreeScout mailbox id (a positive number); got '{mailbox}'.");
            }
        }

        if (!instance.Enabled)
        {
            return;
        }

        var env = "OTAI__" + key.Replace(":", "__", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(instance.ApiKey))
        {
            errors.Add($"{key}:ApiKey is required: the API & Webhooks module's API key; set it from the environment ({env}__ApiKey), never in the repository.");
        }

        if (instance.SigningKey() is null && !instance.AllowUnsignedWebhooks)
        {
            errors.Add($"{key}:WebhookSecret (or AppKey) is required to verify X-FreeScout-Signature (or set AllowUnsignedWebhooks on a trusted network).");
        }

        if (instance.UserId <= 0)
        {
            errors.Add($"{key}:UserId is required: the FreeScout user id notes and mailbox moves are made as.");
        }
    }
}
