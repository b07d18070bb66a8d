using System.Text.Json.Serialization;

namespace OpenTicketAI.Api.Versions;

/// <summary>Every version of one model. A flat model directory (no <c>active.json</c>) is listed as its single, active version.</summary>
public sealed record ModelVersionList(string Model, bool Versioned, string? Active, string? Previous, IReadOnlyList<ModelVersionInfo> Versions);

/// <param name="Version">The version directory's name: what promote takes.</param>
/// <param name="ManifestVersion">The version the model reports in predictions (<c>model.json</c>).</param>
/// <param name="Metrics">Held-out metrics from the manifest, per head.</param>
/// <param name="Shadow">The shadow evaluation written when a training job produced this version, if any.</param>
/// <param name="Error">Why the version's manifest cannot be read, if it cannot.</param>
public sealed record ModelVersionInfo(
    string Version,
    string? ManifestVersion,
    DateTimeOffset? CreatedAt,
    bool IsActive,
    bool IsPrevious,
    IReadOnlyDictionary<string, HeadMetricsSummary> Metrics,
    ShadowEvaluation? Shadow,
    string? Error);

public sealed record HeadMetricsSummary(int Rows, double? Accuracy, double? MacroF1);

[JsonConverter(typeof(JsonStringEnumConverter<ShadowSource>))]
public enum ShadowSource
{
    /// <summary>The most recent labelled tickets from the feedback store.</summary>
    Feedback,

    /// <summary>The training job's own held-out test split (the store had no labelled tickets).</summary>
    HeldOut,
}

/// <summary>A candidate version against the version active when it was trained, on the same tickets.</summary>
/// <param name="AgainstVersion">The version directory that was active; null when no version was served.</param>
public sealed record ShadowEvaluation(DateTimeOffset EvaluatedAt, ShadowSource Source, int Tickets, string? AgainstVersion, IReadOnlyDictionary<string, ShadowHeadResult> Heads)
{
    public const string FileName = "shadow.json";

    /// <summary>True when the candidate is at least as accurate as the active version, averaged over the heads both have.</summary>
    public bool CandidateIsAtLeastAsGood()
    {
        var compared = Heads.Values.Where(h => h.ActiveAccuracy is not null).ToList();
        return compared.Count == 0 || compared.Average(h => h.CandidateAccuracy) >= compared.Average(h => h.ActiveAccuracy!.Value);
    }
}

/// <param name="ActiveAccuracy">Null when the active version has no such head.</param>
public sealed record ShadowHeadResult(int Rows, double CandidateAccuracy, double? ActiveAccuracy);

/// <summary>The outcome of a promote or rollback.</summary>
public sealed record VersionSwitched(string Model, string Active, string? Previous, string ServingVersion, bool Changed);
