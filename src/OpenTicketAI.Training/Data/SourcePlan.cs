namespace OpenTicketAI.Training.Data;

/// <summary>A <see cref="DataSource"/> checked against the recipe's heads, with paths and defaults resolved.</summary>
internal sealed record SourcePlan(
    string DisplayPath,
    string FullPath,
    SourceFormat Format,
    string Delimiter,
    IReadOnlyList<string> TextFields,
    IReadOnlyList<LabelPlan> Labels,
    IReadOnlyDictionary<string, string> Constants,
    string? TagsHead,
    IReadOnlyList<string> TagFields,
    string? IdField,
    string? LabelsDisplayPath,
    string? LabelsFullPath)
{
    /// <summary>The column holding the agent's answer, kept on each row (for <c>otai index</c>).</summary>
    public string? AnswerField { get; init; }

    public RowUnit Unit => Format == SourceFormat.Csv ? RowUnit.Row : RowUnit.Line;
}

/// <summary>A single-label head fed from <see cref="Column"/>; a null column means the labels file of a lines source.</summary>
internal sealed record LabelPlan(string Head, string? Column, LabelSpec Spec);

/// <summary>One row as read from a file, before label maps apply. <see cref="Labels"/> is aligned with <see cref="SourcePlan.Labels"/>.</summary>
internal sealed record RawRecord(int Row, IReadOnlyList<string?> Text, IReadOnlyList<string?> Labels, IReadOnlyList<string>? Tags, string? Id)
{
    public string? Answer { get; init; }
}
