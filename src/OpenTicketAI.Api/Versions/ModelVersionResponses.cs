using System.Text.Json.Serialization;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Versions;

/// <summary>Every version of one model. A flat model directory (no <c>active.json</c>) is listed as its single, active version.</summary>
public sealed record ModelVersionList(string Model, bool Versioned, string? Active, string? Previous, IReadOnlyList<ModelVersionInfo> Versions);

/// <param name="Version">The version directory's name: what promote takes.</param>
/// <param name="ManifestVersion">The version the model reports in predictions (<c>model.json</c>).</param>
/// <param name="Metrics">Held-out metrics from the manifest, per head.</param>
/// <param name="Shadow">The shadow evaluation written when a training job produced this version, if any.</param>
/// <param name="Error">Why the version's manifest cannot be read, if it cannot.</param>
/// <param name="Heads">The heads the version predicts, in manifest order.</param>
/// <param name="AgainstActive">Heads this version adds or drops compared with the active version; null for the active version itself.</param>
public sealed record ModelVersionInfo(
    string Version,
    string? ManifestVersion,
    DateTimeOffset? CreatedAt,
    bool IsActive,
    bool IsPrevious,
    IReadOnlyDictionary<string, HeadMetricsSummary> Metrics,
    ShadowEvaluation? Shadow,
    string? Error,
    IReadOnlyList<string> Heads,
    HeadChanges? AgainstActive = null);

/// <summary>
/// Heads a version adds or drops compared with another. Promoting a version that drops heads makes <c>/predict</c> stop
/// answering them, and every rule or mapping on them stops firing, so it needs <c>?allowDroppedHeads=true</c>.
/// </summary>
public sealed record HeadChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Dropped)
{
    public static HeadChanges None { get; } = new([], []);

    public static HeadChanges Between(IReadOnlyList<string> from, IReadOnlyList<string> to) =>
        new(to.Except(from, StringComparer.Ordinal).ToList(), from.Except(to, StringComparer.Ordinal).ToList());

    public static HeadChanges Between(ModelManifest from, ModelManifest to) => Between(Names(from), Names(to));

    public static IReadOnlyList<string> Names(ModelManifest manifest) => manifest.Heads.Select(h => h.Name).ToList();
}

public sealed record HeadMetricsSummary(int Rows, double? Accuracy, double? MacroF1);

[JsonConverter(typeof(JsonStringEnumConverter<ShadowSource>))]
public enum ShadowSource
{
    /// <summary>The most recent labelled tickets from the feedback store.</summary>
    Feedback,

    /// <summary>The training job's own held-out test split (the store had no labelled tickets).</summary>
    HeldOut,
}

[JsonConverter(typeof(JsonStringEnumConverter<ShadowVerdict>))]
public enum ShadowVerdict
{
    Better,
    Worse,
    Same,

    /// <summary>No active version, or the active version has no such head: nothing to compare with.</summary>
    NotCompared,
}

/// <summary>A candidate version against the version active when it was trained, on the same tickets.</summary>
/// <param name="AgainstVersion">The version directory that was active; null when no version was served.</param>
public sealed record ShadowEvaluation(DateTimeOffset EvaluatedAt, ShadowSource Source, int Tickets, string? AgainstVersion, IReadOnlyDictionary<string, ShadowHeadResult> Heads)
{
    public const string FileName = "shadow.json";

    /// <summary>Heads the candidate has and the active version had not.</summary>
    public IReadOnlyList<string> AddedHeads { get; init; } = [];

    /// <summary>Heads the active version had and the candidate has not: promoting it needs <c>?allowDroppedHeads=true</c>.</summary>
    public IReadOnlyList<string> DroppedHeads { get; init; } = [];

    /// <summary>Better, worse or the same as the active version: mean accuracy over the heads both have.</summary>
    public ShadowVerdict Verdict
    {
        get
        {
            var compared = Heads.Values.Where(h => h.ActiveAccuracy is not null).ToList();
            if (compared.Count == 0)
            {
                return ShadowVerdict.NotCompared;
            }

            var difference = compared.Average(h => h.CandidateAccuracy) - compared.Average(h => h.ActiveAccuracy!.Value);
            return difference > 0 ? ShadowVerdict.Better : difference < 0 ? ShadowVerdict.Worse : ShadowVerdict.Same;
        }
    }

    /// <summary>One sentence for an admin: the verdict head by head, and the heads a promotion would drop.</summary>
    public string Summary
    {
        get
        {
            var heads = string.Join("; ", Heads.Select(h => h.Value.ActiveAccuracy is { } active
                ? $"{h.Key} {h.Value.Verdict.ToString().ToLowerInvariant()} ({h.Value.CandidateAccuracy:0.####} vs {active:0.####})"
                : $"{h.Key} new ({h.Value.CandidateAccuracy:0.####})"));
            var verdict = Verdict switch
            {
                ShadowVerdict.Better => $"Better than the active version {AgainstVersion}",
                ShadowVerdict.Worse => $"Worse than the active version {AgainstVersion}",
                ShadowVerdict.Same => $"As good as the active version {AgainstVersion}",
                _ => "Not compared with an active version",
            };
            var dropped = DroppedHeads.Count == 0 ? string.Empty : $" Drops heads {string.Join(", ", DroppedHeads)}: promoting it needs allowDroppedHeads=true.";
            return $"{verdict} on {Tickets} tickets: {heads}.{dropped}";
        }
    }

    /// <summary>True when the candidate is at least as accurate as the active version, averaged over the heads both have.</summary>
    public bool CandidateIsAtLeastAsGood() => Verdict != ShadowVerdict.Worse;
}

/// <param name="ActiveAccuracy">Null when the active version has no such head.</param>
public sealed record ShadowHeadResult(int Rows, double CandidateAccuracy, double? ActiveAccuracy)
{
    public ShadowVerdict Verdict => ActiveAccuracy is not { } active ? ShadowVerdict.NotCompared
        : CandidateAccuracy > active ? ShadowVerdict.Better
        : CandidateAccuracy < active ? ShadowVerdict.Worse
        : ShadowVerdict.Same;
}

/// <summary>The outcome of a promote or rollback.</summary>
public sealed record VersionSwitched(string Model, string Active, string? Previous, string ServingVersion, bool Changed);
