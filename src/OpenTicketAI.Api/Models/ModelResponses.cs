using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Models;

public sealed record ModelList(string DefaultModel, IReadOnlyList<ModelSummary> Models);

/// <summary>One model as <c>GET /models</c> lists it. Version and heads are those of the served instance, if any.</summary>
public sealed record ModelSummary(
    string Name,
    ModelState Status,
    bool IsDefault,
    string? Version,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LoadedAt,
    IReadOnlyList<HeadSummary> Heads,
    ModelError? LastError)
{
    public static ModelSummary From(ModelStatus status) => new(
        status.Name,
        status.State,
        status.IsDefault,
        status.Manifest?.Version,
        status.Manifest?.CreatedAt,
        status.LoadedAt,
        status.Manifest?.Heads.Select(h => new HeadSummary(h.Name, h.Kind, h.Labels)).ToList() ?? [],
        status.LastError);
}

public sealed record HeadSummary(string Name, HeadKind Kind, IReadOnlyList<string> Labels);

/// <summary>One model with the full manifest of the served instance: heads, featurizer, training summary and held-out metrics.</summary>
public sealed record ModelDetails(
    string Name,
    ModelState Status,
    bool IsDefault,
    DateTimeOffset? LoadedAt,
    ModelError? LastError,
    ModelManifest? Manifest)
{
    public static ModelDetails From(ModelStatus status) =>
        new(status.Name, status.State, status.IsDefault, status.LoadedAt, status.LastError, status.Manifest);
}

/// <summary>The outcome of a successful reload.</summary>
public sealed record ModelReloaded(string Name, string Version, string? PreviousVersion, DateTimeOffset LoadedAt);
