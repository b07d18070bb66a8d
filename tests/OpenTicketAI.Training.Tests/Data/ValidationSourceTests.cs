using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class ValidationSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_reads_validation_sources_apart_from_the_training_rows()
    {
        var train = _dir.Write("train.csv", "subject,body,queue\nPrinter,It jams,IT\nInvoice,Wrong amount,Billing\nVPN,Down again,IT\nRefund,Please,Billing\n");
        var dev = _dir.Write("dev.csv", "subject,body,queue\nLaptop,Broken screen,IT\n");
        var recipe = With(Single("queue"), new DataSource { Path = train, Labels = Columns("queue") }) with
        {
            Validation = [new DataSource { Path = dev, Labels = Columns("queue") }],
        };

        var set = TrainingDataLoader.Load(recipe, _dir.Path);

        Assert.Equal(4, set.Rows.Count);
        var row = Assert.Single(set.ValidationRows!);
        Assert.Equal("Broken screen", row.Text.Body);
        Assert.Equal("IT", row.Labels["queue"]);
    }

    [Fact]
    public void Load_drops_validation_rows_that_repeat_a_training_row()
    {
        var train = _dir.Write("train.csv", "subject,body,queue\nPrinter,It jams,IT\nInvoice,Wrong amount,Billing\nVPN,Down again,IT\nRefund,Please,Billing\n");
        var dev = _dir.Write("dev.csv", "subject,body,queue\nPrinter,It jams,IT\nLaptop,Broken screen,IT\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = train, Labels = Columns("queue") }).WithValidationFiles([dev]), _dir.Path);

        Assert.Equal(["Broken screen"], set.ValidationRows!.Select(r => r.Text.Body));
    }

    [Fact]
    public void Load_without_validation_sources_leaves_validation_to_the_trainer()
    {
        var train = _dir.Write("train.csv", "subject,body,queue\nPrinter,It jams,IT\nInvoice,Wrong amount,Billing\n");

        var set = TrainingDataLoader.Load(With(Single("queue"), new DataSource { Path = train, Labels = Columns("queue") }) with { MinRowsPerClass = 1 }, _dir.Path);

        Assert.Null(set.ValidationRows);
    }
}
