using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class IntentDatasetsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LoadClinc150_reads_every_split_and_labels_out_of_scope_rows_oos()
    {
        _dir.Write("data_full.json", """
            {
              "train": [["what is my balance", "balance"], ["book a flight", "book_flight"]],
              "val": [["balance please", "balance"]],
              "test": [["fly me to rome", "book_flight"]],
              "oos_train": [["how tall is everest", "oos"]],
              "oos_val": [["tell me a joke", "whatever"]],
              "oos_test": []
            }
            """);

        var data = IntentDatasets.LoadClinc150(_dir.Path);

        Assert.Equal([2, 1, 1, 1, 1, 0], new[] { "train", "val", "test", "oos_train", "oos_val", "oos_test" }.Select(s => data.Splits[s].Count));
        Assert.Equal("book_flight", data.Splits["train"][1].Labels[IntentDatasets.Head]);
        Assert.Equal(IntentDatasets.OutOfScope, data.Splits["oos_val"][0].Labels[IntentDatasets.Head]);
        Assert.Equal("what is my balance", data.Splits["train"][0].Text.Body);
        Assert.Equal(3, data.Rows("train", "oos_train").Count);
        Assert.Single(data.Sources);
    }

    [Fact]
    public void LoadClinc150_names_the_split_and_item_that_is_not_a_pair()
    {
        _dir.Write("data_full.json", """{ "train": [["ok", "a"], ["no intent"]], "val": [], "test": [], "oos_train": [], "oos_val": [], "oos_test": [] }""");

        var error = Assert.Throws<TrainingDataException>(() => IntentDatasets.LoadClinc150(Path.Combine(_dir.Path, "data_full.json")));

        Assert.Contains("train[1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadBitext_reads_utterance_as_body_and_intent_per_split()
    {
        const string Header = "utterance,intent,entity_type,entity_value,start_offset,end_offset,category,tags\n";
        _dir.Write("train.csv", Header + "cancel order 1,cancel_order,order_id,1,13,14,ORDER,BIL\n\"where is my refund, please\",track_refund,,,,,REFUND,B\n");
        _dir.Write("dev.csv", Header + "cancel it,cancel_order,,,,,ORDER,B\n");
        _dir.Write("test.csv", Header + "refund status,track_refund,,,,,REFUND,B\n");

        var data = IntentDatasets.LoadBitext(_dir.Path);

        Assert.Equal([2, 1, 1], new[] { "train", "dev", "test" }.Select(s => data.Splits[s].Count));
        Assert.Equal("where is my refund, please", data.Splits["train"][1].Text.Body);
        Assert.Equal("track_refund", data.Splits["train"][1].Labels[IntentDatasets.Head]);
        Assert.Equal(3, data.Sources.Count);
        Assert.Equal(2, data.ToTrainingSet("train").Rows.Count);
    }
}
