using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenTicketAI.Integrations.Tests.Infrastructure;

/// <summary>
/// Webhook bodies in the documented shapes: Zammad's default trigger payload (admin docs, manage/webhook/payload.rst) and
/// FreeScout's conversation object (API &amp; Webhooks module, ApiWebhooksServiceProvider::formatEntity), with signatures
/// computed the way each help desk computes them.
/// </summary>
public static class Payloads
{
    public static byte[] Zammad(int ticketId, (string Subject, string Body) ticket, string group = "Service Desk", string priority = "2 normal", bool internalArticle = false, string[]? tags = null) =>
        Zammad(ticketId, ticket, new ZammadState(group, priority), internalArticle, tags);

    /// <summary>A ticket as a later trigger delivery shows it: who updated it, its state, and the article that came with the update.</summary>
    /// <param name="ArticleSender">Customer or Agent; null sends no article (an update without one, e.g. a group change).</param>
    public sealed record ZammadState(
        string Group,
        string Priority,
        string State = "new",
        string UpdatedBy = "chris@chrispresso.com",
        string UpdatedAt = "2020-11-13T14:34:35.333Z",
        string? CloseAt = null,
        string? ArticleSender = "Customer",
        string ArticleCreatedAt = "2020-11-13T14:34:35.318Z");

    public static byte[] Zammad(int ticketId, (string Subject, string Body) ticket, ZammadState now, bool internalArticle = false, string[]? tags = null)
    {
        var group = now.Group;
        var priority = now.Priority;
        var agent = new Dictionary<string, object?> { ["active"] = true, ["email"] = now.UpdatedBy, ["firstname"] = "Christopher", ["id"] = 3, ["lastname"] = "Miller", ["login"] = now.UpdatedBy, ["roles"] = new[] { "Admin", "Agent" } };
        var payload = new Dictionary<string, object?>
        {
            ["ticket"] = new Dictionary<string, object?>
            {
                ["article_count"] = 1,
                ["article_ids"] = new[] { 104 },
                ["create_article_sender"] = "Customer",
                ["create_article_type"] = "email",
                ["created_at"] = "2020-11-13T14:34:35.282Z",
                ["customer"] = new { active = true, email = "emily@example.com", firstname = "Emily", id = 8, lastname = "Adams", login = "emily@example.com" },
                ["customer_id"] = 8,
                ["group"] = new { active = true, id = 3, name = group },
                ["group_id"] = 3,
                ["id"] = ticketId,
                ["number"] = (10000 + ticketId).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["organization_id"] = 3,
                ["owner_id"] = 1,
                ["priority"] = new { active = true, default_create = true, id = 2, name = priority },
                ["priority_id"] = 2,
                ["state"] = now.State,
                ["state_id"] = 1,
                ["title"] = ticket.Subject,
                ["tags"] = tags,
                ["updated_at"] = now.UpdatedAt,
                ["updated_by"] = agent,
                ["updated_by_id"] = 3,
                ["close_at"] = now.CloseAt,
            },
            ["article"] = new Dictionary<string, object?>
            {
                ["attachments"] = Array.Empty<object>(),
                ["body"] = $"<div>{WebUtility.HtmlEncode(ticket.Body)}</div><div><br></div>",
                ["content_type"] = "text/html",
                ["created_at"] = now.ArticleCreatedAt,
                ["from"] = "Emily Adams <emily@example.com>",
                ["id"] = 104,
                ["internal"] = internalArticle,
                ["sender"] = internalArticle ? "Agent" : now.ArticleSender,
                ["sender_id"] = 2,
                ["subject"] = ticket.Subject,
                ["ticket_id"] = ticketId,
                ["to"] = "Service Desk",
                ["type"] = internalArticle ? "note" : "email",
                ["type_id"] = 1,
                ["accounted_time"] = 0,
            },
        };
        if (now.ArticleSender is null && !internalArticle)
        {
            payload.Remove("article");
        }

        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    /// <summary><c>X-Hub-Signature</c>: <c>sha1=</c> and the hex HMAC-SHA1 of the body (zammad lib/user_agent.rb).</summary>
    public static string ZammadSignature(byte[] body, string token) =>
#pragma warning disable CA5350 // Zammad's algorithm.
        "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), body));
#pragma warning restore CA5350

    /// <summary>A note's once-only marker: from the help desk, instance, ticket, delivery and the note's place in the plan.</summary>
    public static string NoteMarker(string helpDesk, string instance, int ticket, string delivery, int index) =>
        "otai-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{helpDesk}\n{instance}\n{ticket}\n{delivery}\n{index}")))[..32];

    /// <summary>The <c>message_id</c> a Zammad note carries its marker in.</summary>
    public static string ZammadNoteMessageId(int ticket, string delivery, int index) => $"<{NoteMarker("zammad", "main", ticket, delivery, index)}@open-ticket-ai>";

    public static byte[] FreeScout(int conversationId, (string Subject, string Body) ticket, int mailboxId = 1, string[]? tags = null) =>
        FreeScout(conversationId, ticket, mailboxId, tags, "active", null, []);

    /// <summary>A thread the module lists first (newest): a move or status change (<c>lineitem</c>) or an agent's reply (<c>message</c>).</summary>
    public static object FreeScoutThread(int id, string type, string actionType, int userId, string createdAt) => new
    {
        id,
        type,
        status = "active",
        state = "published",
        action = new { type = actionType, text = actionType == "default" ? "" : "Conversation moved", associatedEntities = Array.Empty<object>() },
        body = type == "message" ? "<div>We refunded the second charge.</div>" : null,
        source = new { type = "web", via = "user" },
        customer = (object?)null,
        createdBy = new { id = userId, type = "user", firstName = "Agent", lastName = userId.ToString(System.Globalization.CultureInfo.InvariantCulture), photoUrl = (string?)null, email = "agent@example.org" },
        assignedTo = (object?)null,
        to = Array.Empty<string>(),
        cc = Array.Empty<string>(),
        bcc = Array.Empty<string>(),
        createdAt,
        openedAt = (string?)null,
        _embedded = new { attachments = Array.Empty<object>() },
    };

    /// <summary>The conversation as the module sends it for later events: its status now and the newest threads first.</summary>
    public static byte[] FreeScout(int conversationId, (string Subject, string Body) ticket, int mailboxId, string[]? tags, string status, string? closedAt, object[] newerThreads)
    {
        var customer = new { id = 91, type = "customer", firstName = "Rodney", lastName = "Robertson", photoUrl = (string?)null, email = "rodney@example.org" };
        var embedded = new Dictionary<string, object?>
        {
            ["threads"] = newerThreads.Concat(new object[]
            {
                new
                {
                    id = 18,
                    type = "lineitem",
                    status = "active",
                    state = "published",
                    action = new { type = "changed-ticket-status", text = "Status changed", associatedEntities = Array.Empty<object>() },
                    body = (string?)null,
                    createdAt = "2020-06-05T20:18:35Z",
                },
                new
                {
                    id = 17,
                    type = "customer",
                    status = "active",
                    state = "published",
                    action = new { type = "default", text = "", associatedEntities = Array.Empty<object>() },
                    body = $"<div>{WebUtility.HtmlEncode(ticket.Body)}</div>",
                    source = new { type = "email", via = "customer" },
                    customer,
                    createdBy = customer,
                    assignedTo = (object?)null,
                    to = new[] { "support@example.org" },
                    cc = Array.Empty<string>(),
                    bcc = Array.Empty<string>(),
                    createdAt = "2020-06-05T20:18:33Z",
                    openedAt = (string?)null,
                    _embedded = new { attachments = Array.Empty<object>() },
                },
            }).ToArray(),
        };
        if (tags is not null)
        {
            embedded["tags"] = tags.Select((t, i) => new { id = 50 + i, name = t }).ToArray();
        }

        var conversation = new Dictionary<string, object?>
        {
            ["id"] = conversationId,
            ["number"] = conversationId + 1000,
            ["threadsCount"] = 1,
            ["type"] = "email",
            ["folderId"] = 11,
            ["status"] = status,
            ["state"] = "published",
            ["subject"] = ticket.Subject,
            ["preview"] = ticket.Body.Length > 60 ? ticket.Body[..60] : ticket.Body,
            ["mailboxId"] = mailboxId,
            ["assignee"] = null,
            ["createdBy"] = customer,
            ["createdAt"] = "2020-06-05T20:18:33Z",
            ["updatedAt"] = "2020-06-05T20:18:33Z",
            ["closedBy"] = null,
            ["closedByUser"] = null,
            ["closedAt"] = closedAt,
            ["userUpdatedAt"] = null,
            ["customerWaitingSince"] = new { time = "2020-06-05T20:18:33Z", friendly = "1 hour ago", latestReplyFrom = "customer" },
            ["source"] = new { type = "email", via = "customer" },
            ["cc"] = Array.Empty<string>(),
            ["bcc"] = Array.Empty<string>(),
            ["customer"] = customer,
            ["_embedded"] = embedded,
        };
        return JsonSerializer.SerializeToUtf8Bytes(conversation);
    }

    /// <summary>FreeScout's signing key: md5(APP_KEY . 'webhook_key') in hex (Modules/ApiWebhooks/Entities/Webhook.php).</summary>
    public static string FreeScoutKey(string appKey) =>
#pragma warning disable CA5351 // FreeScout's derivation.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(appKey + "webhook_key")));
#pragma warning restore CA5351

    /// <summary><c>X-FreeScout-Signature</c>: base64 of the raw HMAC-SHA1 of the body (Webhook::sign).</summary>
    public static string FreeScoutSignature(byte[] body, string key) =>
#pragma warning disable CA5350 // FreeScout's algorithm.
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), body));
#pragma warning restore CA5350
}
