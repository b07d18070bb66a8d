using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Models;

/// <summary>
/// Loads every model at startup, then (with <see cref="OpenTicketAiOptions.WatchModels"/>) watches the models directory and
/// re-syncs once it has been quiet for <see cref="OpenTicketAiOptions.ReloadDebounce"/>, so a model being copied is loaded when complete.
/// </summary>
public sealed partial class ModelDirectoryWatcher(ModelStore store, IOptions<OpenTicketAiOptions> options, ILogger<ModelDirectoryWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = options.Value.WatchModels ? StartWatching(changes.Writer) : null;

        await SyncAsync(stoppingToken);
        var rescan = options.Value.ModelsRescanInterval;
        if (watcher is null && rescan <= TimeSpan.Zero)
        {
            return;
        }

        var rescanning = rescan > TimeSpan.Zero ? RescanAsync(rescan, changes.Writer, stoppingToken) : Task.CompletedTask;

        var debounce = options.Value.ReloadDebounce;
        try
        {
            while (await changes.Reader.WaitToReadAsync(stoppingToken))
            {
                changes.Reader.TryRead(out _);
                while (await AnotherChangeWithin(changes.Reader, debounce, stoppingToken))
                {
                }

                await SyncAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await rescanning;
    }

    private static async Task RescanAsync(TimeSpan interval, ChannelWriter<bool> changes, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                changes.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<bool> AnotherChangeWithin(ChannelReader<bool> changes, TimeSpan quiet, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(quiet);
        try
        {
            await changes.ReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task SyncAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.SyncAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never let a scan failure stop the host; the next change or a reload tries again.
            LogSyncFailed(logger, ex, store.ModelsPath);
        }
    }

    private FileSystemWatcher? StartWatching(ChannelWriter<bool> changes)
    {
        try
        {
            Directory.CreateDirectory(store.ModelsPath);
            var watcher = new FileSystemWatcher(store.ModelsPath)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            FileSystemEventHandler changed = (_, _) => changes.TryWrite(true);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => changes.TryWrite(true);
            watcher.Error += (_, e) =>
            {
                LogWatcherError(logger, e.GetException(), store.ModelsPath);
                changes.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            LogWatching(logger, store.ModelsPath, options.Value.ReloadDebounce.TotalSeconds);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            LogWatchFailed(logger, ex, store.ModelsPath);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Directory} for model changes (reload {DebounceSeconds} s after the last change)")]
    private static partial void LogWatching(ILogger logger, string directory, double debounceSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot watch {Directory}; models change only through POST /models/{{name}}/reload")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The watcher of {Directory} reported an error; rescanning all models")]
    private static partial void LogWatcherError(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning {Directory} for models failed")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string directory);
}
