using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class TrainerGuardTests
{
    [Fact]
    public void Single_label_head_with_one_label_is_rejected()
    {
        var rows = Enumerable.Range(0, 20).Select(i => Row($"ticket {i}", queue: "Billing")).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => Train(rows, new HeadDefinition("queue", HeadKind.SingleLabel)));

        Assert.Contains("'queue'", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Head_that_no_row_carries_is_rejected()
    {
        var rows = Enumerable.Range(0, 20).Select(i => Row($"ticket {i}", queue: i % 2 == 0 ? "Billing" : "Sales")).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() =>
            Train(rows, new HeadDefinition("queue", HeadKind.SingleLabel), new HeadDefinition("priority", HeadKind.SingleLabel)));

        Assert.Contains("'priority'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_without_rows_is_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => Train([], new HeadDefinition("queue", HeadKind.SingleLabel)));
    }

    [Fact]
    public void Set_without_heads_is_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => Train([Row("a", "Billing"), Row("b", "Sales")]));
    }

    [Theory]
    [InlineData(0, 0.1, 0.1)]
    [InlineData(64, 0.6, 0.4)]
    [InlineData(64, -0.1, 0.1)]
    public void Invalid_options_are_rejected(int hidden, double validation, double test)
    {
        Assert.Throws<ArgumentException>(() => new MultiHeadTrainer(new TrainerOptions { HiddenDimension = hidden, ValidationFraction = validation, TestFraction = test }));
    }

    [Fact]
    public void Cancelling_during_training_throws_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(p =>
        {
            if (p.Stage == TrainingProgress.Train)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MultiHeadTrainer(SyntheticModelFixture.SmallOptions()).Train(SyntheticTickets.TrainingSet(), progress, cancellation.Token));
    }

    [Fact]
    public void Progress_reports_every_stage_in_order()
    {
        var reports = new List<TrainingProgress>();
        var options = SyntheticModelFixture.SmallOptions() with { MaxEpochs = 2 };

        new MultiHeadTrainer(options).Train(SyntheticTickets.TrainingSet(tickets: 100, tweets: 30), new InlineProgress(p => { lock (reports) { reports.Add(p); } }));

        Assert.Equal(
            [TrainingProgress.Featurize, TrainingProgress.Train, TrainingProgress.Linear, TrainingProgress.Calibrate],
            reports.Select(r => r.Stage).Distinct());
        var epochEnds = reports.Where(r => r.ValidationLoss is not null).ToArray();
        Assert.Equal([1, 2], epochEnds.Select(r => r.Epoch));
        Assert.All(epochEnds, r => Assert.True(r.TrainLoss > 0 && r.Done <= r.Total));
        Assert.Equal(reports[^1].Total, reports[^1].Done);
    }

    private static TrainingResult Train(LabeledTicket[] rows, params HeadDefinition[] heads) =>
        new MultiHeadTrainer(SyntheticModelFixture.SmallOptions()).Train(new TrainingSet(rows, heads, []));

    private static LabeledTicket Row(string text, string queue) =>
        new(TicketText.FromBody(text), new Dictionary<string, string> { ["queue"] = queue }, new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
