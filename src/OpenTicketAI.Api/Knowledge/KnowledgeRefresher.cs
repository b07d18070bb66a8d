using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Api.Knowledge;

/// <summary>
/// Every <see cref="KnowledgeOptions.RescanInterval"/>, lets each open collection pick up what another process wrote
/// (<see cref="KnowledgeIndex.RefreshAsync"/>). Polling, not file events: shared volumes deliver none from other machines.
/// A collection that cannot be read again keeps serving what it has; the next tick tries again. With a collection database,
/// every collection it holds is opened (a replica's copy is brought up to date before the service starts taking requests,
/// and collections another replica creates appear on the next tick).
/// </summary>
public sealed partial class KnowledgeRefresher(KnowledgeStore store, KnowledgeMetrics metrics, IOptions<KnowledgeOptions> options, TimeProvider time, ILogger<KnowledgeRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Database is not null)
        {
            await RefreshAllAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RescanInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAllAsync(CancellationToken stoppingToken)
    {
        if (store.Database is { } database)
        {
            try
            {
                foreach (var (name, manifest) in (await database.CollectionsAsync(stoppingToken)).Where(c => KnowledgeStore.IsName(c.Key)))
                {
                    store.Open(name, manifest);
                }
            }
            catch (DbException ex)
            {
                LogDatabaseUnavailable(ex, database.Description);
            }

            // Those only on disk too: their first refresh copies them into the database.
            foreach (var name in store.Names())
            {
                store.Open(name);
            }
        }

        foreach (var collection in store.OpenCollections())
        {
            await RefreshAsync(collection, stoppingToken);
        }
    }

    private async Task RefreshAsync(KnowledgeIndex collection, CancellationToken stoppingToken)
    {
        try
        {
            var started = time.GetTimestamp();
            if (await collection.RefreshAsync(stoppingToken))
            {
                var elapsed = time.GetElapsedTime(started);
                LogRefreshed(collection.Name, collection.Count, elapsed.TotalMilliseconds);
            }

            metrics.Refreshed(collection.Name);
        }
        catch (Exception ex) when (ex is KnowledgeException or IOException or UnauthorizedAccessException or DbException)
        {
            metrics.RefreshFailed(collection.Name);
            LogRefreshFailed(ex, collection.Name);
        }
        catch (ObjectDisposedException)
        {
            // The store is shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The knowledge database {Database} cannot be read; the collections keep serving the documents they have")]
    private partial void LogDatabaseUnavailable(Exception exception, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Knowledge collection {Collection} changed on disk or in its database; read again: {Count} documents in {ElapsedMs:0} ms")]
    private partial void LogRefreshed(string collection, int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge collection {Collection} changed on disk or in its database but could not be read again; it keeps serving the documents it has")]
    private partial void LogRefreshFailed(Exception exception, string collection);
}
