using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Integrations.Notifications;

/// <summary>
/// The <c>notify 'name'</c> action: a JSON POST to the target's URL, delivered through the outbox like any write-back. With a
/// secret the body is signed as <c>X-OpenTicketAI-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.
/// </summary>
public sealed class NotificationPlanner(IOptions<IntegrationsOptions> options)
{
    public const string SignatureHeader = "X-OpenTicketAI-Signature";

    public IReadOnlyCollection<string> Targets => options.Value.Notifications.Keys;

    /// <summary>The target's settings; names match case-insensitively.</summary>
    public NotificationTargetOptions? Find(string target) =>
        options.Value.Notifications.FirstOrDefault(n => string.Equals(n.Key, target, StringComparison.OrdinalIgnoreCase)).Value;

    public NewOutboxMessage Plan(string target, TicketEvent ticket, TicketClassification classification, ChangePlan plan)
    {
        var settings = Find(target) ?? throw new InvalidOperationException($"Notification target '{target}' is not configured.");
        var body = Json.Serialize(new
        {
            @event = "ticket.classified",
            target,
            helpDesk = ticket.HelpDesk,
            instance = ticket.Instance,
            ticketId = ticket.TicketId,
            ticketNumber = ticket.TicketNumber,
            subject = ticket.Subject,
            rules = plan.FiredRules,
            model = new { name = classification.Model, version = classification.ModelVersion },
            predictions = classification.Heads.ToDictionary(h => h.Key, h => h.Value.MultiLabel ? (object)h.Value.Labels : (h.Value.Labels.Count > 0 ? h.Value.Labels[0] : string.Empty)),
            confidence = classification.Heads.ToDictionary(h => h.Key, h => h.Value.Confidence),
            changes = new { queue = plan.Changes.Queue, priority = plan.Changes.Priority, tags = plan.Changes.Tags },
        });
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(settings.Secret))
        {
            headers[SignatureHeader] = "sha256=" + Convert.ToHexStringLower(WebhookSignature.HmacSha256(settings.Secret, System.Text.Encoding.UTF8.GetBytes(body)));
        }

        return new NewOutboxMessage(
            OutboxTargets.Notification(target),
            "POST",
            settings.Url,
            headers,
            body,
            $"notify '{target}' about {ticket.HelpDesk} {ticket.Instance} ticket {ticket.TicketNumber ?? ticket.TicketId}");
    }
}
