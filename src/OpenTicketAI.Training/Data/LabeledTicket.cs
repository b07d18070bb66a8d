using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Training.Data;

/// <summary>
/// One training or evaluation row. A row carries only the heads its source labels: a ticket export has no
/// sentiment, a sentiment corpus no queue. A multi-label head is carried when its key is present, even with no labels.
/// </summary>
public sealed record LabeledTicket(
    TicketText Text,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MultiLabels)
{
    public string? Id { get; init; }

    /// <summary>The agent's answer, when the source names an <c>answer</c> column (training ignores it).</summary>
    public string? Answer { get; init; }

    /// <summary>Where the row came from, for error messages: "file:row".</summary>
    public string? Origin { get; init; }
}
