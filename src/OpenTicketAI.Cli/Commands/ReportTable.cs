using OpenTicketAI.Training.Evaluation;
using Spectre.Console;

namespace OpenTicketAI.Cli.Commands;

/// <summary>The per-head summary of an evaluation, as a console table.</summary>
internal static class ReportTable
{
    public static void Write(EvaluationReport report)
    {
        var table = new Table().AddColumns("head", "rows", "accuracy", "majority", "macro-F1", "ECE", "coverage@90%");
        foreach (var head in report.SingleLabelHeads)
        {
            table.AddRow(head.Head, $"{head.Rows:N0}", $"{head.Accuracy:0.000}", $"{head.MajorityBaseline:0.000}", $"{head.MacroF1:0.000}", $"{head.ExpectedCalibrationError:0.000}", $"{head.CoverageAt90Precision:0.000}");
        }

        foreach (var head in report.MultiLabelHeads)
        {
            table.AddRow($"{head.Head} (multi)", $"{head.Rows:N0}", $"micro-F1 {head.MicroF1:0.000}", "-", $"{head.MacroF1:0.000}", "-", "-");
        }

        AnsiConsole.Write(table);
    }
}
