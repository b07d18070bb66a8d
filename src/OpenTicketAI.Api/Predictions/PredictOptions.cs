using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace OpenTicketAI.Api.Predictions;

/// <summary>What a prediction request may contain (configuration section <c>Predict</c>).</summary>
public sealed class PredictOptions
{
    public const string SectionName = "Predict";

    [Range(1, 1_000_000, ErrorMessage = "Predict:MaxSubjectChars must be between 1 and 1000000.")]
    public int MaxSubjectChars { get; set; } = 1_000;

    [Range(1, 10_000_000, ErrorMessage = "Predict:MaxBodyChars must be between 1 and 10000000.")]
    public int MaxBodyChars { get; set; } = 100_000;

    /// <summary>What to do with a body longer than <see cref="MaxBodyChars"/>.</summary>
    public OversizeBodyPolicy OversizeBody { get; set; } = OversizeBodyPolicy.Reject;

    [Range(1, 10_000, ErrorMessage = "Predict:MaxBatchSize must be between 1 and 10000.")]
    public int MaxBatchSize { get; set; } = 100;

    [Range(1, PredictQuery.MaxTopK, ErrorMessage = "Predict:DefaultTopK must be between 1 and 20.")]
    public int DefaultTopK { get; set; } = 3;

    /// <summary><c>tagScores</c> lists tags scoring at least this much...</summary>
    [Range(0.0, 1.0, ErrorMessage = "Predict:TagScoreFloor must be between 0 and 1.")]
    public double TagScoreFloor { get; set; } = 0.05;

    /// <summary>...and at most this many of them.</summary>
    [Range(0, 1_000, ErrorMessage = "Predict:MaxTagScores must be between 0 and 1000.")]
    public int MaxTagScores { get; set; } = 10;
}

[JsonConverter(typeof(JsonStringEnumConverter<OversizeBodyPolicy>))]
public enum OversizeBodyPolicy
{
    /// <summary>Answer 400 naming <c>body</c>.</summary>
    Reject,

    /// <summary>Predict on the first <see cref="PredictOptions.MaxBodyChars"/> characters and say so with <c>"truncated": true</c>.</summary>
    Truncate,
}
