using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Training.Data;

/// <summary>A head to train: its name and whether it picks one label or any number of them.</summary>
public sealed record HeadDefinition(string Name, HeadKind Kind);

/// <summary>Rows from one or more sources, with the heads they train.</summary>
public sealed record TrainingSet(
    IReadOnlyList<LabeledTicket> Rows,
    IReadOnlyList<HeadDefinition> Heads,
    IReadOnlyList<SourceSummary> Sources);
