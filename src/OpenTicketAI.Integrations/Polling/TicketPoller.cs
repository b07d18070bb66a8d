using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Polling;

/// <summary>What one pass did.</summary>
/// <param name="Complete">Every page was read and every new ticket handled; the cursor moved to <paramref name="Cursor"/>.</param>
public sealed record PollResult(int Fetched, int Processed, int AlreadyDone, bool Complete, long Cursor, string? Error);

/// <summary>
/// One polling pass over one instance. Guarantees: a ticket is processed at most once (its delivery id <c>poll:&lt;id&gt;</c>
/// is recorded with its write-backs in one transaction, so a repeated or concurrent pass finds it done), and none is
/// skipped: the cursor (every id up to it is done) moves only after a pass read every page and handled every ticket up to
/// it, so a fetch that fails midway, a model that is not ready or a restart leave the rest for the next pass.
/// </summary>
public sealed partial class TicketPoller(
    HelpDeskRegistry registry,
    IEnumerable<IPollingSource> sources,
    TicketEventProcessor processor,
    OutboxStore outbox,
    DeliveryLog deliveries,
    PollCursors cursors,
    IHttpClientFactory clients,
    ILogger<TicketPoller> logger)
{
    private readonly Dictionary<string, IPollingSource> _sources = sources.ToDictionary(s => s.HelpDesk, StringComparer.OrdinalIgnoreCase);

    /// <summary>Enabled instances with polling on whose help desk has a polling source.</summary>
    public IReadOnlyList<(IHelpDeskConnector Connector, HelpDeskInstanceOptions Instance)> PollingInstances() =>
        registry.Connectors
            .Where(c => _sources.ContainsKey(c.HelpDesk))
            .SelectMany(c => c.Instances.Where(i => i.Enabled && i.Polling.Enabled).Select(i => (c, i)))
            .ToList();

    public async Task<PollResult> PollAsync(string helpDesk, string instanceName, CancellationToken cancellationToken)
    {
        if (!registry.TryFind(helpDesk, instanceName, out var connector, out var instance) || !_sources.TryGetValue(helpDesk, out var source))
        {
            throw new InvalidOperationException($"No {helpDesk} instance named '{instanceName}' with a polling source is configured.");
        }

        var cursor = await cursors.GetAsync(connector.HelpDesk, instance.Name, cancellationToken) ?? instance.Polling.StartAfterTicketId;
        var client = clients.CreateClient(OutboxTargets.ClientName(OutboxTargets.HelpDesk(connector.HelpDesk, instance.Name)));
        var found = new SortedDictionary<long, PolledTicket>();
        var complete = true;
        string? error = null;
        try
        {
            for (var page = 1; ; page++)
            {
                var batch = await source.FetchPageAsync(client, instance, page, cancellationToken);
                foreach (var ticket in batch.Tickets.Where(t => t.Id > cursor))
                {
                    found.TryAdd(ticket.Id, ticket);
                }

                if (!batch.HasMore || batch.Tickets.All(t => t.Id <= cursor))
                {
                    break;
                }

                if (page >= instance.Polling.MaxPages)
                {
                    complete = false;
                    error = $"more than {instance.Polling.MaxPages} pages of new tickets; the rest is read in the next pass.";
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            complete = false;
            error = Describe(ex, source, instance);
            LogFetchFailed(logger, connector.HelpDesk, instance.Name, error);
        }

        int processed = 0, done = 0;
        long handledUpTo = cursor;
        foreach (var (id, ticket) in found)
        {
            var ok = false;
            try
            {
                if (await deliveries.IsProcessedAsync(connector.HelpDesk, instance.Name, ticket.DeliveryId, cancellationToken))
                {
                    done++;
                    ok = true;
                }
                else if (await source.LoadAsync(client, instance, ticket, cancellationToken) is { } ticketEvent)
                {
                    var result = await processor.ProcessAsync(connector, instance, ticketEvent, cancellationToken);
                    ok = result.Status is ProcessingStatus.Processed or ProcessingStatus.Duplicate;
                    processed += result.Status == ProcessingStatus.Processed ? 1 : 0;
                    done += result.Status == ProcessingStatus.Duplicate ? 1 : 0;
                    if (!ok)
                    {
                        error = result.Reason;
                    }
                }
                else
                {
                    // Nothing to classify: recorded as done, so it is not read again.
                    await outbox.EnqueueAsync(new DeliveryRecord(connector.HelpDesk, instance.Name, ticket.DeliveryId, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), [], cancellationToken);
                    ok = true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = Describe(ex, source, instance);
                LogFetchFailed(logger, connector.HelpDesk, instance.Name, error);
            }

            if (!ok)
            {
                // Later tickets wait too: the cursor must not pass a ticket that is not done.
                complete = false;
                break;
            }

            handledUpTo = id;
        }

        if (complete && handledUpTo > cursor)
        {
            await cursors.SetAsync(connector.HelpDesk, instance.Name, handledUpTo, cancellationToken);
            cursor = handledUpTo;
        }

        LogPass(logger, connector.HelpDesk, instance.Name, found.Count, processed, done, complete, cursor);
        return new PollResult(found.Count, processed, done, complete, cursor, error);
    }

    /// <summary>A 401/403 means the help desk refused the instance's credential: the message names the setting that holds it.</summary>
    private static string Describe(Exception exception, IPollingSource source, HelpDeskInstanceOptions instance) =>
        exception is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden }
            ? $"{exception.Message} (the help desk refused instance '{instance.Name}''s credential: check {source.CredentialKey}, set from the environment)"
            : exception.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HelpDesk} {Instance}: polling read failed; retrying in the next pass: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string helpDesk, string instance, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HelpDesk} {Instance}: polled {Fetched} new tickets, {Processed} processed, {Done} already done, complete {Complete}, cursor {Cursor}")]
    private static partial void LogPass(ILogger logger, string helpDesk, string instance, int fetched, int processed, int done, bool complete, long cursor);
}
