using System.Diagnostics.Metrics;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// Counters of the <c>OpenTicketAI.Integrations</c> meter, for a /metrics exporter (OpenTelemetry, dotnet-counters):
/// webhooks by outcome, rules fired, write-backs enqueued, delivered, retried and failed after the last attempt.
/// </summary>
public sealed class IntegrationMetrics
{
    public const string MeterName = "OpenTicketAI.Integrations";

    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _rulesFired;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;

    public IntegrationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _webhooks = meter.CreateCounter<long>("otai.integrations.webhooks", "{webhook}", "Webhook calls received, by help desk and outcome.");
        _rulesFired = meter.CreateCounter<long>("otai.rules.fired", "{rule}", "Rules that fired, by rule name.");
        _enqueued = meter.CreateCounter<long>("otai.outbox.enqueued", "{request}", "Write-backs stored in the outbox.");
        _delivered = meter.CreateCounter<long>("otai.outbox.delivered", "{request}", "Write-backs the target accepted.");
        _retried = meter.CreateCounter<long>("otai.outbox.retries", "{attempt}", "Failed attempts that will be retried.");
        _failed = meter.CreateCounter<long>("otai.outbox.failed", "{request}", "Write-backs given up on after the last attempt (or refused for good).");
    }

    public void WebhookReceived(string helpDesk, string outcome) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("helpdesk", helpDesk), new KeyValuePair<string, object?>("outcome", outcome));

    public void RuleFired(string rule) => _rulesFired.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void Enqueued(string target, int count) => _enqueued.Add(count, new KeyValuePair<string, object?>("target", target));

    public void Delivered(string target) => _delivered.Add(1, new KeyValuePair<string, object?>("target", target));

    public void Retried(string target) => _retried.Add(1, new KeyValuePair<string, object?>("target", target));

    public void Failed(string target) => _failed.Add(1, new KeyValuePair<string, object?>("target", target));
}
