using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// Sends due write-backs with the target's named HTTP client. 2xx marks a message delivered; a network error, timeout,
/// 408, 425, 429 or 5xx schedules a retry with backoff until <see cref="OutboxOptions.MaxAttempts"/>; any other 4xx (the help
/// desk refuses the request itself) fails it at once. Failed messages stay listed until retried by hand. A note (a message
/// with a <see cref="WriteBackCheck"/>) whose earlier attempt may have reached the help desk is sent again only when the
/// ticket's articles do not show its marker, so a retry or a take-over never adds it twice.
/// </summary>
public sealed partial class OutboxDispatcher(
    OutboxStore store,
    IHttpClientFactory clients,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    IntegrationMetrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    private const int MaxErrorChars = 2000;

    /// <summary>Claims and sends one batch of due messages; returns how many were claimed.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Not cancelled midway: a claim the database made but this process never saw would wait for its lease to run out.
        var due = await store.ClaimDueAsync(settings.BatchSize, settings.Lease, CancellationToken.None);
        var sent = 0;
        try
        {
            // An attempt and its bookkeeping must end inside the lease, or another replica could send the same message meanwhile.
            while (sent < due.Count && !(due[sent].ClaimedUntil is { } until && until - time.GetUtcNow() < 2 * settings.RequestTimeout))
            {
                await SendAsync(due[sent], cancellationToken);
                sent++;
            }
        }
        finally
        {
            // Shutting down or out of lease: the rest is handed back at once rather than when the lease runs out.
            if (sent < due.Count)
            {
                await store.ReleaseClaimsAsync(due.Skip(sent).Select(m => m.Id), CancellationToken.None);
            }
        }

        return due.Count;
    }

    private async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var attempt = message.Attempts + 1;
        int? status = null;
        string error;
        TimeSpan? retryAfter = null;
        var permanent = false;
        try
        {
            var client = clients.CreateClient(OutboxTargets.ClientName(message.Target));
            // The check and the write share one RequestTimeout, so an attempt still ends inside the lease margin.
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(options.Value.RequestTimeout);
            var (response, checking, alreadyThere) = await SendOnceAsync(client, message, attemptTimeout.Token);
            using var _ = response;
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.MarkDeliveredAsync(message.Id, attempt, status.Value, CancellationToken.None);
                metrics.Delivered(message.Target);
                if (alreadyThere)
                {
                    LogAlreadyThere(logger, message.Id, message.Description, message.Target, message.Check!.Marker);
                }
                else
                {
                    LogDelivered(logger, message.Id, message.Description, message.Target, status.Value, attempt);
                }

                return;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            error = (checking ? "checking whether an earlier attempt arrived: " : "") + $"HTTP {status} {response.ReasonPhrase}: {Truncate(text)}";
            retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
            permanent = !IsTransient(response.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the attempt did not happen as far as the outbox is concerned; it is due again after restart.
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException or IOException)
        {
            error = ex is OperationCanceledException ? $"timed out after {options.Value.RequestTimeout.TotalSeconds:0.###} s" : ex.Message;
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            // A target whose instance was removed from configuration has no base address: retried, in case it comes back.
            error = $"{message.Target} cannot send: {ex.Message}";
        }

        if (permanent || attempt >= options.Value.MaxAttempts)
        {
            await store.MarkFailedAsync(message.Id, attempt, status, error, CancellationToken.None);
            metrics.Failed(message.Target);
            LogFailed(logger, message.Id, message.Description, message.Target, attempt, error);
            return;
        }

        var next = time.GetUtcNow() + Backoff.Delay(attempt, options.Value, retryAfter);
        await store.MarkRetryAsync(message.Id, attempt, next, status, error, CancellationToken.None);
        metrics.Retried(message.Target);
        LogRetry(logger, message.Id, message.Description, message.Target, attempt, next, error);
    }

    private static bool NeedsCheck(OutboxMessage message) => message.Check is not null && message.MayHaveReached;

    /// <summary>
    /// The write's response; or, when an earlier attempt may have reached the help desk, first the check's: a failed check
    /// (nothing sent) or a successful one that found the marker (nothing to send).
    /// </summary>
    private static async Task<(HttpResponseMessage Response, bool Checking, bool AlreadyThere)> SendOnceAsync(
        HttpClient client, OutboxMessage message, CancellationToken cancellationToken)
    {
        if (NeedsCheck(message))
        {
            var check = message.Check!;
            var seen = await client.GetAsync(new Uri(check.Path, UriKind.RelativeOrAbsolute), HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!seen.IsSuccessStatusCode)
            {
                return (seen, true, false);
            }

            if ((await seen.Content.ReadAsStringAsync(cancellationToken)).Contains(check.Marker, StringComparison.Ordinal))
            {
                return (seen, true, true);
            }

            seen.Dispose();
        }

        using var request = new HttpRequestMessage(new HttpMethod(message.Method), new Uri(message.Path, UriKind.RelativeOrAbsolute));
        if (message.Body is not null)
        {
            request.Content = new StringContent(message.Body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in message.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken), false, false);
    }

    private static bool IsTransient(HttpStatusCode code) =>
        (int)code >= 500 || code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)425;

    private static string Truncate(string text) => text.Length <= MaxErrorChars ? text : text[..MaxErrorChars] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Id}: {Description} delivered to {Target} with {Status} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, long id, string description, string target, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Id}: {Description} was already on the ticket at {Target} (marker {Marker}) from an earlier attempt; not sent again")]
    private static partial void LogAlreadyThere(ILogger logger, long id, string description, string target, string marker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Id}: {Description} to {Target} failed on attempt {Attempt}; retrying at {NextAttempt}: {Error}")]
    private static partial void LogRetry(ILogger logger, long id, string description, string target, int attempt, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Id}: {Description} to {Target} failed for good after attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, long id, string description, string target, int attempt, string error);
}
