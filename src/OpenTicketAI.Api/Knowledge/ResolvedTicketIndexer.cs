using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Import;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>
/// With <see cref="KnowledgeOptions.IndexResolvedTicketsInterval"/>: at start-up and then every interval, the feedback
/// store's resolved tickets (text + agents' labels) go into the tickets collection, so <c>/similar</c> and
/// <c>/kb/gaps</c> learn from what the help desks close without a cron job. Only new or changed documents are encoded.
/// </summary>
public sealed partial class ResolvedTicketIndexer(KnowledgeStore store, IFeedbackStore feedback, IOptions<KnowledgeOptions> options, TimeProvider time, ILogger<ResolvedTicketIndexer> logger) : BackgroundService
{
    /// <summary>Documents per upsert: one commit, and one encoder batch per core, each.</summary>
    private const int BatchSize = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IndexResolvedTicketsInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await IndexAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass; a failure is logged and the next pass tries again.</summary>
    private async Task IndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            var tickets = await feedback.GetLabelledTicketsAsync(new LabelledTicketQuery(ResolvedOnly: true), cancellationToken);
            var collection = store.Open(options.Value.TicketsCollection);
            var changed = tickets.Select(FeedbackDocuments.FromFeedback)
                .Where(d => d.HasText && !FeedbackDocuments.IsStored(collection.Get(d.Id), d))
                .ToList();
            foreach (var batch in changed.Chunk(BatchSize))
            {
                await collection.UpsertAsync(batch, cancellationToken);
            }

            if (changed.Count > 0)
            {
                var count = collection.Count;
                LogIndexed(changed.Count, collection.Name, count);
            }
        }
        catch (Exception ex) when (ex is KnowledgeException or DbException or IOException)
        {
            LogFailed(ex, options.Value.TicketsCollection);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed {Changed} new or changed resolved tickets from the feedback store into knowledge collection {Collection} ({Count} documents)")]
    private partial void LogIndexed(int changed, string collection, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing resolved tickets into knowledge collection {Collection} failed; the next pass tries again")]
    private partial void LogFailed(Exception exception, string collection);
}
