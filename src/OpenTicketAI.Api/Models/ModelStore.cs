using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Models;

/// <summary>
/// Every model under the models directory, by name. A reload loads a new instance beside the served one and swaps only if
/// it loads; requests in flight keep the instance they leased, which is disposed after the last of them.
/// </summary>
public sealed partial class ModelStore : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelSlot> _slots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly ClassifierOptions _classifierOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelStore> _logger;

    /// <param name="encoders">Shared by every model loaded here, so hybrid models with the same encoder hold one session.</param>
    public ModelStore(IOptions<OpenTicketAiOptions> options, IHostEnvironment environment, TimeProvider time, EncoderCache encoders, ILogger<ModelStore> logger)
    {
        ModelsPath = Path.GetFullPath(options.Value.ModelsPath, environment.ContentRootPath);
        DefaultModel = options.Value.DefaultModel;
        _classifierOptions = new ClassifierOptions { IntraOpThreads = options.Value.IntraOpThreads, Encoders = encoders };
        _time = time;
        _logger = logger;
    }

    /// <summary>The absolute models directory.</summary>
    public string ModelsPath { get; }

    public string DefaultModel { get; }

    /// <summary>How this store loads models (threads, the shared encoder sessions); for loading a candidate the same way.</summary>
    public ClassifierOptions ClassifierOptions => _classifierOptions;

    public ModelLookup Acquire(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            return new ModelLookup(ModelLookupResult.NotFound, null, null);
        }

        if (slot.TryLease(out var lease))
        {
            return new ModelLookup(ModelLookupResult.Ready, lease, null);
        }

        return new ModelLookup(ModelLookupResult.Unavailable, null, slot.State.LastError?.Message ?? "it is still loading");
    }

    public IReadOnlyList<ModelStatus> GetStatuses() =>
        _slots.Values.Select(Describe).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public ModelStatus? GetStatus(string name) => _slots.TryGetValue(name, out var slot) ? Describe(slot) : null;

    /// <summary>Loads <paramref name="name"/> from disk now, serving it from then on if it loads; a model whose directory is gone stops being served.</summary>
    public async Task<ModelReloadResult> ReloadAsync(string name, CancellationToken cancellationToken)
    {
        if (!ModelName.IsValid(name))
        {
            throw new ArgumentException(ModelName.Rule, nameof(name));
        }

        var directory = Path.Combine(ModelsPath, name);
        while (true)
        {
            if (!ModelLayout.IsModel(directory))
            {
                if (_slots.TryGetValue(name, out var gone))
                {
                    await RemoveAsync(gone, cancellationToken);
                }

                return new ModelReloadResult(ModelReloadOutcome.NotFound, null, null, null);
            }

            var slot = _slots.GetOrAdd(name, n => new ModelSlot(n, directory));
            await slot.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!slot.State.Removed)
                {
                    return await LoadAsync(slot, force: true);
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }
    }

    /// <summary>Brings the served models in line with the directory: loads new and changed models, stops serving deleted ones.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            var found = Discover();
            foreach (var (name, directory) in found)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slot = _slots.GetOrAdd(name, n => new ModelSlot(n, directory));
                await slot.Gate.WaitAsync(cancellationToken);
                try
                {
                    if (!slot.State.Removed)
                    {
                        await LoadAsync(slot, force: false);
                    }
                }
                finally
                {
                    slot.Gate.Release();
                }
            }

            foreach (var slot in _slots.Values.Where(s => !found.ContainsKey(s.Name)))
            {
                await RemoveAsync(slot, cancellationToken, onlyIfGone: true);
            }
        }
        finally
        {
            _syncGate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Dispose();
        }

        _slots.Clear();
        _syncGate.Dispose();
    }

    private Dictionary<string, string> Discover()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(ModelsPath))
        {
            LogMissingRoot(_logger, ModelsPath);
            return found;
        }

        foreach (var directory in Directory.EnumerateDirectories(ModelsPath))
        {
            var name = Path.GetFileName(directory);
            if (!ModelLayout.IsModel(directory))
            {
                continue;
            }

            if (!ModelName.IsValid(name))
            {
                LogSkippedName(_logger, directory);
                continue;
            }

            found[name] = directory;
        }

        return found;
    }

    /// <summary>Call with the slot's gate held.</summary>
    private async Task<ModelReloadResult> LoadAsync(ModelSlot slot, bool force)
    {
        var fingerprint = ModelFingerprint.Compute(slot.Directory);
        var previous = slot.Current;
        if (!force && slot.State.Attempted && fingerprint == slot.State.AttemptedFingerprint)
        {
            return new ModelReloadResult(ModelReloadOutcome.Unchanged, Describe(slot), null, null);
        }

        TicketClassifier classifier;
        try
        {
            classifier = await Task.Run(() => TicketClassifier.Load(ModelLayout.ServingDirectory(slot.Directory), _classifierOptions));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure, not only ModelLoadException: a half-written manifest can fail in unexpected ways and must never take the service down.
            var message = ex is ModelLoadException ? ex.Message : $"{slot.Directory}: {ex.GetType().Name}: {ex.Message}";
            slot.State = slot.State with { Attempted = true, LastError = new ModelError(message, _time.GetUtcNow()), AttemptedFingerprint = fingerprint };
            if (previous is null)
            {
                LogLoadFailed(_logger, slot.Name, message);
            }
            else
            {
                LogReloadFailed(_logger, slot.Name, previous.Classifier.Manifest.Version, message);
            }

            return new ModelReloadResult(ModelReloadOutcome.Failed, Describe(slot), previous?.Classifier.Manifest.Version, message);
        }

        slot.Swap(new LoadedModel(slot.Name, classifier, _time.GetUtcNow(), fingerprint, m => LogDisposed(_logger, m.Name, m.Classifier.Manifest.Version)));
        slot.State = slot.State with { Attempted = true, LastError = null, AttemptedFingerprint = fingerprint };
        if (previous is null)
        {
            LogLoaded(_logger, slot.Name, classifier.Manifest.Version, slot.Directory);
        }
        else
        {
            LogSwapped(_logger, slot.Name, previous.Classifier.Manifest.Version, classifier.Manifest.Version, slot.Directory);
        }

        HintUpgrade(slot.Name, classifier);

        return new ModelReloadResult(ModelReloadOutcome.Loaded, Describe(slot), previous?.Classifier.Manifest.Version, null);
    }

    /// <summary>
    /// Loads <paramref name="versionDirectory"/> beside the served instance; only if it loads is <paramref name="commit"/> run
    /// (e.g. the version pointer is written) and the new instance swapped in. A version that fails to load changes nothing.
    /// </summary>
    public async Task<ModelReloadResult> ActivateAsync(string name, string versionDirectory, Action commit, CancellationToken cancellationToken)
    {
        if (!ModelName.IsValid(name))
        {
            throw new ArgumentException(ModelName.Rule, nameof(name));
        }

        while (true)
        {
            var slot = _slots.GetOrAdd(name, n => new ModelSlot(n, Path.Combine(ModelsPath, n)));
            await slot.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!slot.State.Removed)
                {
                    return await ActivateAsync(slot, versionDirectory, commit, cancellationToken);
                }
            }
            finally
            {
                slot.Gate.Release();
            }
        }
    }

    /// <summary>Call with the slot's gate held.</summary>
    private async Task<ModelReloadResult> ActivateAsync(ModelSlot slot, string versionDirectory, Action commit, CancellationToken cancellationToken)
    {
        var previous = slot.Current;
        TicketClassifier classifier;
        try
        {
            classifier = await Task.Run(() => TicketClassifier.Load(versionDirectory, _classifierOptions), cancellationToken);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            var message = ex is ModelLoadException ? ex.Message : $"{versionDirectory}: {ex.GetType().Name}: {ex.Message}";
            LogActivationRefused(_logger, slot.Name, versionDirectory, message);
            return new ModelReloadResult(ModelReloadOutcome.Failed, Describe(slot), previous?.Classifier.Manifest.Version, message);
        }

        try
        {
            commit();
        }
        catch
        {
            classifier.Dispose();
            throw;
        }

        var fingerprint = ModelFingerprint.Compute(slot.Directory);
        slot.Swap(new LoadedModel(slot.Name, classifier, _time.GetUtcNow(), fingerprint, m => LogDisposed(_logger, m.Name, m.Classifier.Manifest.Version)));
        slot.State = slot.State with { Attempted = true, LastError = null, AttemptedFingerprint = fingerprint };
        LogSwapped(_logger, slot.Name, previous?.Classifier.Manifest.Version ?? "none", classifier.Manifest.Version, versionDirectory);
        HintUpgrade(slot.Name, classifier);
        return new ModelReloadResult(ModelReloadOutcome.Loaded, Describe(slot), previous?.Classifier.Manifest.Version, null);
    }

    private async Task RemoveAsync(ModelSlot slot, CancellationToken cancellationToken, bool onlyIfGone = false)
    {
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            // A reload may have brought the directory back since the scan that decided to remove it.
            if (slot.State.Removed || (onlyIfGone && ModelLayout.IsModel(slot.Directory)))
            {
                return;
            }

            slot.State = slot.State with { Removed = true };
            _slots.TryRemove(new KeyValuePair<string, ModelSlot>(slot.Name, slot));
            slot.Swap(null);
            LogRemoved(_logger, slot.Name, slot.Directory);
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private ModelStatus Describe(ModelSlot slot)
    {
        var current = slot.Current;
        var state = slot.State;
        var status = current is not null ? ModelState.Ready
            : state.Attempted ? ModelState.Failed
            : ModelState.Loading;
        return new ModelStatus(
            slot.Name,
            status,
            string.Equals(slot.Name, DefaultModel, StringComparison.Ordinal),
            current?.Classifier.Manifest,
            current?.LoadedAt,
            state.LastError);
    }

    private void HintUpgrade(string name, TicketClassifier classifier)
    {
        if (classifier.GraphLayout < GraphSpec.CurrentLayout)
        {
            LogOlderLayout(_logger, name, classifier.GraphLayout, GraphSpec.CurrentLayout, classifier.Directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} has graph layout {Layout}; `otai upgrade --model {Directory}` writes layout {CurrentLayout}: the same answers, faster")]
    private static partial void LogOlderLayout(ILogger logger, string model, long layout, long currentLayout, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving model {Model} version {Version} from {Directory}")]
    private static partial void LogLoaded(ILogger logger, string model, string version, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Swapped model {Model} from version {PreviousVersion} to {Version} from {Directory}; the previous instance is disposed after its last request")]
    private static partial void LogSwapped(ILogger logger, string model, string previousVersion, string version, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Disposed model {Model} version {Version}: no request uses it any more")]
    private static partial void LogDisposed(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} cannot be loaded and is not served: {Error}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} cannot be reloaded; still serving version {Version}: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string model, string version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} is no longer served: {Directory} no longer holds a model")]
    private static partial void LogRemoved(ILogger logger, string model, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: version directory {Directory} cannot be loaded, so it was not activated: {Error}")]
    private static partial void LogActivationRefused(ILogger logger, string model, string directory, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The models directory {Directory} does not exist; no model is served")]
    private static partial void LogMissingRoot(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring {Directory}: its name is not a valid model name")]
    private static partial void LogSkippedName(ILogger logger, string directory);
}

public enum ModelLookupResult
{
    Ready,
    NotFound,
    Unavailable,
}

/// <summary>The outcome of <see cref="ModelStore.Acquire"/>: a lease to dispose when <see cref="Result"/> is <see cref="ModelLookupResult.Ready"/>.</summary>
public sealed record ModelLookup(ModelLookupResult Result, ModelLease? Lease, string? Error);

public enum ModelReloadOutcome
{
    Loaded,
    Unchanged,
    Failed,
    NotFound,
}

public sealed record ModelReloadResult(ModelReloadOutcome Outcome, ModelStatus? Status, string? PreviousVersion, string? Error);
