using OpenTicketAI.Testing;
using System.Text.Json;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Evaluation;
using OpenTicketAI.Training.Tests.Data;
using static OpenTicketAI.Training.Tests.Evaluation.ModelEvaluatorTests;

namespace OpenTicketAI.Training.Tests.Evaluation;

public sealed class EvaluationReportWriterTests : IDisposable
{
    private const string Nasty = "Billing & <Payments> \"quoted\"";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_writes_json_and_a_self_contained_html_report_with_heatmap_and_encoded_labels()
    {
        await EvaluationReportWriter.WriteAsync(Report(), _dir.Path);

        var html = await File.ReadAllTextAsync(Path.Combine(_dir.Path, EvaluationReportWriter.HtmlFile));
        Assert.Contains("class=\"heatmap\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"reliability\"", html, StringComparison.Ordinal);
        Assert.Contains("Billing &amp; &lt;Payments&gt; &quot;quoted&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Payments>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir.Path, EvaluationReportWriter.JsonFile)));
    }

    [Fact]
    public void ToJson_round_trips_the_report()
    {
        var report = Report();

        var json = EvaluationReportWriter.ToJson(report);
        var again = EvaluationReportWriter.FromJson(json);

        Assert.Equal(json, EvaluationReportWriter.ToJson(again));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2, document.RootElement.GetProperty("singleLabelHeads")[0].GetProperty("confusionMatrix").GetArrayLength());
    }

    [Fact]
    public void ToHtml_draws_a_heatmap_cell_per_class_pair_for_fifty_classes()
    {
        var labels = Enumerable.Range(0, 50).Select(i => $"Department {i:00}/Team with a long name").ToArray();
        var head = new HeadSpec { Name = "queue", Kind = HeadKind.SingleLabel, Output = "queue", Labels = labels };
        var truth = Enumerable.Range(0, 500).Select(i => labels[i % 50]).ToArray();
        var predictions = Enumerable.Range(0, 500).Select(i => Single(labels[(i * 7) % 50], 0.5f + (i % 50 / 100f))).ToArray();

        var html = EvaluationReportWriter.ToHtml(new EvaluationReport { Model = "big", SingleLabelHeads = [ModelEvaluator.EvaluateSingleLabel(head, truth, predictions)] });

        Assert.Equal(50 * 50, CountOccurrences(html, "rx=\"2\""));
        Assert.Contains("<title>Department 07/Team with a long name</title>", html, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static EvaluationReport Report()
    {
        var head = new HeadSpec { Name = "queue", Kind = HeadKind.SingleLabel, Output = "queue", Labels = [Nasty, "IT"] };
        var tags = new HeadSpec { Name = "tags", Kind = HeadKind.MultiLabel, Output = "tags", Labels = ["x", "y", "z"] };
        return new EvaluationReport
        {
            Model = "demo <model>",
            Version = "1.0",
            Rows = 3,
            SingleLabelHeads = [ModelEvaluator.EvaluateSingleLabel(head, [Nasty, "IT", "IT"], [Single(Nasty, 0.9f), Single("IT", 0.7f), Single(Nasty, 0.4f)])],
            MultiLabelHeads = [ModelEvaluator.EvaluateMultiLabel(tags, [["x"], ["y"], []], [Multi(["x"], 0.9f, 0.1f, 0.1f), Multi([], 0.3f, 0.4f, 0.1f), Multi([], 0.1f, 0.1f, 0.1f)])],
        };
    }
}
