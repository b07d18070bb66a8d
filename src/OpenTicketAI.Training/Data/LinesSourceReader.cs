namespace OpenTicketAI.Training.Data;

/// <summary>Reads a text file (one text a line, the body) and, when given, a labels file aligned line by line.</summary>
internal static class LinesSourceReader
{
    public static List<RawRecord> Read(SourcePlan plan, SourceFile file, SourceFile? labelsFile, CancellationToken cancellationToken)
    {
        var texts = SplitLines(file.Text);
        var labels = labelsFile is null ? null : SplitLines(labelsFile.Text);
        if (labels is not null && labels.Count != texts.Count)
        {
            throw new TrainingDataException(
                $"has {labels.Count} lines but the text file {plan.DisplayPath} has {texts.Count}; the files must be aligned line by line",
                plan.LabelsDisplayPath);
        }

        var records = new List<RawRecord>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var label = labels?[i];
            records.Add(new RawRecord(i + 1, [texts[i]], plan.Labels.Select(_ => label).ToArray(), null, null));
        }

        return records;
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
