using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Knowledge.Retrieval;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

[Collection(EncoderCollection.Name)]
public sealed class FusionTunerTests(EncoderFixture fixture) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Tuned_fusion_is_at_least_as_precise_as_either_retriever_alone_on_its_validation_queries()
    {
        using var index = KnowledgeIndex.Open("synthetic", _directory.Combine("synthetic"), fixture.Encoder, encoderLanguages: []);
        var rows = SyntheticTickets.TrainingSet(tickets: 160, tweets: 0).Rows;
        await index.UpsertAsync(rows.Select(r => new KnowledgeDocument { Id = r.Id!, Title = r.Text.Subject, Body = r.Text.Body, Queue = r.Labels["queue"] }).ToList());

        var result = FusionTuner.Tune(index, FusionTuner.LeaveOneOut(index, max: 80));

        Assert.Equal(80, result.Tuned.Queries);
        Assert.True(result.Tuned.PrecisionAt1 >= Math.Max(result.Lexical.PrecisionAt1, result.Dense.PrecisionAt1), $"tuned {result.Tuned}, lexical {result.Lexical}, dense {result.Dense}");
        Assert.True(result.Tuned.PrecisionAt1 > 0.6, result.Tuned.ToString());
        Assert.Contains("80 validation queries", result.Settings.TunedOn, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
