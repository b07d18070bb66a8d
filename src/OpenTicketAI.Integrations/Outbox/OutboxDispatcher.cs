using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// Sends due write-backs with the target's named HTTP client. 2xx marks a message delivered; a network error, timeout,
/// 408, 425, 429 or 5xx schedules a retry with backoff until <see cref="OutboxOptions.MaxAttempts"/>; any other 4xx (the help
/// desk refuses the request itself) fails it at once. Failed messages stay listed until retried by hand.
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
            using var request = new HttpRequestMessage(new HttpMethod(message.Method), new Uri(message.Path, UriKind.RelativeOrAbsolute));
            if (message.Body is not null)
            {
                request.Content = new StringContent(message.Body, Encoding.UTF8, "application/json");
            }

            foreach (var (name, value) in message.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.MarkDeliveredAsync(message.Id, attempt, status.Value, CancellationToken.None);
                metrics.Delivered(message.Target);
                LogDelivered(logger, message.Id, message.Description, message.Target, status.Value, attempt);
                return;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            error = $"HTTP {status} {response.ReasonPhrase}: {Truncate(text)}";
            retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
            permanent = !IsTransient(response.StatusCode);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the attempt did not happen as far as the outbox is concerned; it is due again after restart.
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException or IOException)
        {
            error = ex is TaskCanceledException ? $"timed out after {options.Value.RequestTimeout.TotalSeconds:0.###} s" : ex.Message;
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

    private static bool IsTransient(HttpStatusCode code) =>
        (int)code >= 500 || code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)425;

    private static string Truncate(string text) => text.Length <= MaxErrorChars ? text : text[..MaxErrorChars] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Id}: {Description} delivered to {Target} with {Status} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, long id, string description, string target, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Id}: {Description} to {Target} failed on attempt {Attempt}; retrying at {NextAttempt}: {Error}")]
    private static partial void LogRetry(ILogger logger, long id, string description, string target, int attempt, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Id}: {Description} to {Target} failed for good after attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, long id, string description, string target, int attempt, string error);
}
