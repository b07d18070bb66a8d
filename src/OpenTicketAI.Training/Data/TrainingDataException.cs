namespace OpenTicketAI.Training.Data;

/// <summary>
/// Training data that cannot be used as given. The message names the file, the row (CSV, header = row 1) or
/// line (JSONL and text files) and the column or field whenever they apply.
/// </summary>
public sealed class TrainingDataException : Exception
{
    public TrainingDataException()
        : this("Training data is invalid.")
    {
    }

    public TrainingDataException(string message)
        : base(message)
    {
        Reason = message;
    }

    public TrainingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public TrainingDataException(string reason, string? file, int? row = null, string? column = null, RowUnit unit = RowUnit.Row, Exception? innerException = null)
        : base(Compose(reason, file, row, column, unit), innerException)
    {
        Reason = reason;
        File = file;
        Row = row;
        Column = column;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    public string? File { get; }

    /// <summary>1-based CSV row (header = 1) or text line.</summary>
    public int? Row { get; }

    public string? Column { get; }

    private static string Compose(string reason, string? file, int? row, string? column, RowUnit unit)
    {
        var parts = new List<string>(3);
        if (file is not null)
        {
            parts.Add(file);
        }

        if (row is { } r)
        {
            parts.Add($"{(unit == RowUnit.Line ? "line" : "row")} {r}");
        }

        if (column is not null)
        {
            parts.Add($"column '{column}'");
        }

        return parts.Count == 0 ? reason : $"{string.Join(", ", parts)}: {reason}";
    }
}

/// <summary>How a <see cref="TrainingDataException.Row"/> is counted: CSV records or physical lines.</summary>
public enum RowUnit
{
    Row,
    Line,
}
