using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Versions;

public enum VersionSwitchOutcome
{
    Switched,
    Unchanged,
    ModelNotFound,
    VersionNotFound,
    NoPrevious,
    LoadFailed,

    /// <summary>The version lacks heads the served version has, and dropping them was not allowed.</summary>
    DropsHeads,
}

public sealed record VersionSwitchResult(VersionSwitchOutcome Outcome, VersionSwitched? Switched = null, string? Error = null, string? ServingVersion = null, HeadChanges? Heads = null);

/// <summary>
/// The versions of each model on disk: lists them, switches the active one through <see cref="ModelStore.ActivateAsync"/>
/// (the pointer is written only once the version has loaded), adds trained versions and prunes old ones.
/// </summary>
public sealed partial class ModelVersions(ModelStore store, IOptions<OpenTicketAiOptions> options, TimeProvider time, ILogger<ModelVersions> logger) : IDisposable
{
    private const string FlatFallbackVersion = "current";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public string Root(string name) => Path.Combine(store.ModelsPath, name);

    public ModelVersionList? List(string name)
    {
        var root = Root(name);
        if (!ModelLayout.IsModel(root))
        {
            return null;
        }

        if (!ModelLayout.IsVersioned(root))
        {
            var flat = Describe(root, FlatVersionName(root), isActive: true, isPrevious: false);
            return new ModelVersionList(name, false, flat.Version, null, [flat]);
        }

        ActiveVersions? pointer = null;
        try
        {
            pointer = ModelLayout.ReadPointer(root);
        }
        catch (ModelLoadException)
        {
            // Listed without active/previous flags; GET /models/{name} shows the load error.
        }

        var versions = ModelLayout.VersionDirectories(root)
            .Select(d => Path.GetFileName(d))
            .Select(v => Describe(Path.Combine(root, v), v, v == pointer?.Active, v == pointer?.Previous))
            .OrderByDescending(v => v.CreatedAt)
            .ThenByDescending(v => v.Version, StringComparer.Ordinal)
            .ToList();
        if (versions.FirstOrDefault(v => v.IsActive) is { Error: null } active)
        {
            versions = versions.Select(v => v.IsActive || v.Error is not null ? v : v with { AgainstActive = HeadChanges.Between(active.Heads, v.Heads) }).ToList();
        }

        return new ModelVersionList(name, true, pointer?.Active, pointer?.Previous, versions);
    }

    /// <param name="allowDroppedHeads">Serve the version even when it lacks heads the served version has; otherwise that is refused with <see cref="VersionSwitchOutcome.DropsHeads"/>.</param>
    public Task<VersionSwitchResult> PromoteAsync(string name, string version, bool allowDroppedHeads, CancellationToken cancellationToken) =>
        WithGateAsync(name, () => SwitchAsync(name, version, rollback: false, allowDroppedHeads, cancellationToken), cancellationToken);

    /// <summary>Serves the previous version again; a rollback undoes a switch, so it may drop heads.</summary>
    public Task<VersionSwitchResult> RollbackAsync(string name, CancellationToken cancellationToken) =>
        WithGateAsync(name, () => SwitchAsync(name, null, rollback: true, allowDroppedHeads: true, cancellationToken), cancellationToken);

    /// <summary>
    /// Moves a complete, verified model directory (beside the model's root, on the same file system) in as a new version,
    /// turning a flat model into a versioned one first, then deletes versions beyond <see cref="OpenTicketAiOptions.KeepVersions"/>.
    /// Returns the new version's name. The active version is untouched.
    /// </summary>
    public Task<string> AddVersionAsync(string name, string stagedDirectory, CancellationToken cancellationToken) =>
        WithGateAsync(name, () =>
        {
            var root = Root(name);
            if (!ModelLayout.IsVersioned(root))
            {
                ConvertFlatToVersioned(name, root);
            }

            var manifestVersion = ModelDirectory.ReadManifest(stagedDirectory).Version;
            var version = UniqueVersionName(root, VersionName.IsValid(manifestVersion) ? manifestVersion : TimeStamp());
            Directory.Move(stagedDirectory, Path.Combine(root, version));
            LogAdded(logger, name, version);
            Prune(name, root, keepAlso: version);
            return Task.FromResult(version);
        }, cancellationToken);

    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<T> WithGateAsync<T>(string name, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<VersionSwitchResult> SwitchAsync(string name, string? version, bool rollback, bool allowDroppedHeads, CancellationToken cancellationToken)
    {
        var root = Root(name);
        if (!ModelLayout.IsModel(root))
        {
            return new VersionSwitchResult(VersionSwitchOutcome.ModelNotFound);
        }

        var serving = store.GetStatus(name)?.Manifest?.Version;
        if (!ModelLayout.IsVersioned(root))
        {
            // A flat directory is one version: promoting it is a no-op, and there is nothing to roll back to.
            var only = FlatVersionName(root);
            return rollback ? new VersionSwitchResult(VersionSwitchOutcome.NoPrevious, ServingVersion: serving)
                : version == only ? new VersionSwitchResult(VersionSwitchOutcome.Unchanged, new VersionSwitched(name, only, null, serving ?? only, false))
                : new VersionSwitchResult(VersionSwitchOutcome.VersionNotFound);
        }

        ActiveVersions current;
        try
        {
            current = ModelLayout.ReadPointer(root);
        }
        catch (ModelLoadException ex)
        {
            // A broken pointer: promote may repair it by naming a version that loads.
            if (rollback)
            {
                return new VersionSwitchResult(VersionSwitchOutcome.NoPrevious, Error: ex.Message, ServingVersion: serving);
            }

            current = new ActiveVersions(string.Empty, null, time.GetUtcNow());
        }

        var target = rollback ? current.Previous : version;
        if (target is null)
        {
            return new VersionSwitchResult(VersionSwitchOutcome.NoPrevious, ServingVersion: serving);
        }

        var directory = Path.Combine(root, target);
        if (!ModelDirectory.LooksLikeModel(directory))
        {
            return new VersionSwitchResult(VersionSwitchOutcome.VersionNotFound, ServingVersion: serving);
        }

        if (target == current.Active && store.GetStatus(name)?.State == ModelState.Ready)
        {
            return new VersionSwitchResult(VersionSwitchOutcome.Unchanged, new VersionSwitched(name, current.Active, current.Previous, serving ?? target, false));
        }

        if (!allowDroppedHeads && store.GetStatus(name)?.Manifest is { } served && DroppedHeads(served, directory) is { Dropped.Count: > 0 } changes)
        {
            return new VersionSwitchResult(
                VersionSwitchOutcome.DropsHeads,
                Error: $"Version '{target}' has no head {string.Join(", ", changes.Dropped)}, which the served version {served.Version} answers: /predict would stop answering them and every rule or mapping on them would stop firing. Promote with allowDroppedHeads=true to accept that.",
                ServingVersion: serving,
                Heads: changes);
        }

        var next = new ActiveVersions(target, current.Active.Length == 0 ? current.Previous : current.Active, time.GetUtcNow());
        var result = await store.ActivateAsync(name, directory, () => ModelLayout.WritePointer(root, next), cancellationToken);
        if (result.Outcome != ModelReloadOutcome.Loaded || result.Status?.Manifest is not { } manifest)
        {
            return new VersionSwitchResult(VersionSwitchOutcome.LoadFailed, Error: result.Error, ServingVersion: result.PreviousVersion);
        }

        LogSwitched(logger, name, rollback ? "Rolled back" : "Promoted", current.Active, target);
        return new VersionSwitchResult(VersionSwitchOutcome.Switched, new VersionSwitched(name, next.Active, next.Previous, manifest.Version, true));
    }

    private static HeadChanges? DroppedHeads(ModelManifest served, string directory)
    {
        try
        {
            return HeadChanges.Between(served, ModelDirectory.ReadManifest(directory));
        }
        catch (ModelLoadException)
        {
            // Loading it fails with the same error, which the caller reports.
            return null;
        }
    }

    private static ModelVersionInfo Describe(string directory, string version, bool isActive, bool isPrevious)
    {
        var shadow = ReadShadow(directory);
        try
        {
            var manifest = ModelDirectory.ReadManifest(directory);
            var metrics = manifest.Metrics.ToDictionary(m => m.Key, m => new HeadMetricsSummary(m.Value.Rows, m.Value.Accuracy, m.Value.MacroF1), StringComparer.Ordinal);
            return new ModelVersionInfo(version, manifest.Version, manifest.CreatedAt, isActive, isPrevious, metrics, shadow, null, HeadChanges.Names(manifest));
        }
        catch (Exception ex) when (ex is ModelLoadException or IOException or UnauthorizedAccessException)
        {
            return new ModelVersionInfo(version, null, null, isActive, isPrevious, new Dictionary<string, HeadMetricsSummary>(), shadow, ex.Message, []);
        }
    }

    private static ShadowEvaluation? ReadShadow(string directory)
    {
        var path = Path.Combine(directory, ShadowEvaluation.FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ShadowEvaluation>(File.ReadAllText(path), ModelJson.Options) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string FlatVersionName(string root)
    {
        try
        {
            var version = ModelDirectory.ReadManifest(root).Version;
            return VersionName.IsValid(version) ? version : FlatFallbackVersion;
        }
        catch (ModelLoadException)
        {
            return FlatFallbackVersion;
        }
    }

    /// <summary>A version name not yet taken under the model: the current UTC time, with -2, -3 ... within one second.</summary>
    public string NewVersionName(string name) => UniqueVersionName(Root(name), TimeStamp());

    private string TimeStamp() => time.GetUtcNow().ToString("yyyy.MM.dd.HHmmss", System.Globalization.CultureInfo.InvariantCulture);

    private static string UniqueVersionName(string root, string wanted)
    {
        var name = wanted;
        for (var i = 2; Directory.Exists(Path.Combine(root, name)); i++)
        {
            name = $"{wanted}-{i}";
        }

        return name;
    }

    /// <summary>
    /// Copies the flat model's files into a version directory, points active.json at it, then removes the flat files.
    /// The pointer wins over a flat manifest, so an interruption after it is written still serves the same model.
    /// </summary>
    private void ConvertFlatToVersioned(string name, string root)
    {
        var version = UniqueVersionName(root, FlatVersionName(root));
        var files = Directory.GetFiles(root);
        var staging = Path.Combine(root, $".{version}.copying-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }

            Directory.Move(staging, Path.Combine(root, version));
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        ModelLayout.WritePointer(root, new ActiveVersions(version, null, time.GetUtcNow()));
        foreach (var file in files.OrderBy(f => Path.GetFileName(f) == ModelDirectory.ManifestFile ? 0 : 1))
        {
            File.Delete(file);
        }

        LogConverted(logger, name, version);
    }

    private void Prune(string name, string root, string keepAlso)
    {
        var pointer = ModelLayout.ReadPointer(root);
        var protectedVersions = new HashSet<string>(StringComparer.Ordinal) { pointer.Active, keepAlso };
        if (pointer.Previous is not null)
        {
            protectedVersions.Add(pointer.Previous);
        }

        var byAge = ModelLayout.VersionDirectories(root)
            .Select(d => (Directory: d, Created: CreatedAt(d)))
            .OrderByDescending(v => v.Created)
            .ToList();
        foreach (var (directory, _) in byAge.Skip(options.Value.KeepVersions))
        {
            var version = Path.GetFileName(directory);
            if (protectedVersions.Contains(version))
            {
                continue;
            }

            // Renamed away first, so a deletion that stops half way never leaves a partial version in the listing.
            var aside = Path.Combine(root, $".{version}.deleting-{Guid.NewGuid():N}");
            Directory.Move(directory, aside);
            Directory.Delete(aside, recursive: true);
            LogPruned(logger, name, version);
        }
    }

    private static DateTimeOffset CreatedAt(string directory)
    {
        try
        {
            return ModelDirectory.ReadManifest(directory).CreatedAt;
        }
        catch (ModelLoadException)
        {
            return Directory.GetCreationTimeUtc(directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} model {Model} from version {From} to {To}")]
    private static partial void LogSwitched(ILogger logger, string model, string action, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: added version {Version}")]
    private static partial void LogAdded(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: the flat model directory is now version {Version} of a versioned model")]
    private static partial void LogConverted(ILogger logger, string model, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: deleted old version {Version} (OpenTicketAI:KeepVersions)")]
    private static partial void LogPruned(ILogger logger, string model, string version);
}
