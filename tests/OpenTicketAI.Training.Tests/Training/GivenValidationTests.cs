using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Tests.Training;

public sealed class GivenValidationTests
{
    [Fact]
    public void Given_validation_rows_are_used_and_no_training_row_is_held_out()
    {
        var set = SyntheticTickets.TrainingSet(tickets: 300, tweets: 100) with { ValidationRows = SyntheticTickets.HeldOut(tickets: 60, tweets: 20, seed: 11) };
        var options = SyntheticModelFixture.SmallOptions() with { TestFraction = 0 };

        var result = new MultiHeadTrainer(options).Train(set);

        var training = result.Manifest.Training;
        Assert.Equal(set.Rows.Count, training.TrainRows);
        Assert.Equal(set.ValidationRows.Count, training.ValidationRows);
        Assert.Equal(set.Rows.Count + set.ValidationRows.Count, training.Rows);
        Assert.Same(set.ValidationRows[0], result.ValidationRows[0]);
        Assert.Empty(result.TestRows);
        Assert.All(result.Manifest.Heads.Where(h => h.Kind == HeadKind.SingleLabel), h => Assert.NotEqual(1.0, h.Temperature));
    }

    [Fact]
    public void Given_validation_row_with_a_label_unknown_to_training_is_kept_for_its_other_heads()
    {
        var validation = SyntheticTickets.HeldOut(tickets: 40, tweets: 0, seed: 11);
        var unknown = validation[0] with { Labels = new Dictionary<string, string>(validation[0].Labels) { [SyntheticTickets.QueueHead] = "Never seen" } };
        var set = SyntheticTickets.TrainingSet(tickets: 200, tweets: 50) with { ValidationRows = [unknown, .. validation.Skip(1)] };

        var result = new MultiHeadTrainer(SyntheticModelFixture.SmallOptions() with { TestFraction = 0, MaxEpochs = 2 }).Train(set);

        Assert.Equal(validation.Count, result.Manifest.Training.ValidationRows);
        Assert.DoesNotContain("Never seen", result.Manifest.Heads[0].Labels);
    }
}
