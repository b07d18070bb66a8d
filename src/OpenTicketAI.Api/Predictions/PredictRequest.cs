using Microsoft.AspNetCore.Mvc;

namespace OpenTicketAI.Api.Predictions;

/// <summary>One ticket to classify. At least one of <see cref="Subject"/> and <see cref="Body"/> must hold text.</summary>
/// <param name="Subject">The ticket's subject line.</param>
/// <param name="Body">The ticket's first message, plain text.</param>
/// <param name="Id">The help desk's ticket id, echoed in the response and written to the log.</param>
/// <param name="Language">Optional language hint (e.g. <c>en</c>, <c>de-DE</c>); validated and logged; the service's language identifier names the language itself.</param>
public sealed record PredictRequest(string? Subject, string? Body, string? Id = null, string? Language = null);

/// <summary>Several tickets classified in one call, in order.</summary>
public sealed record BatchPredictRequest(IReadOnlyList<PredictRequest?>? Tickets);

/// <summary>Query options of the predict endpoints.</summary>
public sealed record PredictQuery
{
    public const int MaxTopK = 20;

    /// <summary>How many alternatives to list per head (1 to 20, default 3).</summary>
    [FromQuery(Name = "topK")]
    public int? TopK { get; init; }
}
