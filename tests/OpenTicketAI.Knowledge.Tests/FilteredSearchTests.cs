using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

[Collection(EncoderCollection.Name)]
public sealed class FilteredSearchTests(EncoderFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string?[] Queues = ["Accounts", "Billing", "Network", null];
    private static readonly string?[] Languages = ["en", "de", "fr-CA", null];

    private static readonly KnowledgeQuery[] Filtered =
    [
        new() { Queue = "Billing" },
        new() { Queue = "Nowhere" },
        new() { Language = "de" },
        new() { Language = "FR-ca" },
        new() { From = Start.AddDays(20) },
        new() { To = Start.AddDays(15) },
        new() { From = Start.AddDays(10), To = Start.AddDays(40).ToOffset(TimeSpan.FromHours(2)) },
        new() { Queue = "Accounts", Language = "en", From = Start.AddDays(5) },
        new() { ExcludeId = "t-3" },
        new() { ExcludeId = "t-3", Queue = "Network" },
    ];

    private readonly TempDirectory _directory = new();

    /// <summary>Distinct tickets on the fixture topics with every mix of queue, language and (missing) date.</summary>
    private static List<KnowledgeDocument> Generated() =>
        KnowledgeFixtures.Topics.SelectMany(t => t.Questions).Select((question, i) => new KnowledgeDocument
        {
            Id = $"t-{i}",
            Title = question,
            Body = $"Ticket {i}: {question.ToLowerInvariant()}, please help.",
            Queue = Queues[i % Queues.Length],
            Language = Languages[i / Queues.Length % Languages.Length],
            Date = i % 5 == 4 ? null : Start.AddDays(3 * i),
        }).ToList();

    private static bool Holds(KnowledgeDocument d, KnowledgeQuery q) =>
        d.Id != q.ExcludeId
        && (q.Queue is null || d.Queue == q.Queue)
        && (q.Language is null || d.Language == CollectionManifest.Primary(q.Language))
        && (q.From is null || d.Date >= q.From)
        && (q.To is null || d.Date <= q.To);

    /// <summary>For each filtered query, its hits next to the unfiltered ranking of every document with the filter applied after.</summary>
    private static void AssertFilteredEqualsFilteringTheRanking(KnowledgeIndex index)
    {
        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var unfiltered = index.Search(new KnowledgeQuery { Subject = question, Mode = RetrievalMode.Dense, TopK = 1000, KeepDuplicates = true }).Hits;
            Assert.Equal(index.Count, unfiltered.Count);
            foreach (var filter in Filtered)
            {
                var query = filter with { Subject = question, Mode = RetrievalMode.Dense, TopK = 5, KeepDuplicates = true };
                var expected = unfiltered.Where(h => Holds(h.Document, filter)).Take(5).Select(h => (h.Document.Id, h.Score));
                Assert.Equal(expected, index.Search(query).Hits.Select(h => (h.Document.Id, h.Score)));
            }

            // BM25 scores are divided by the best hit's, so a filter changes them but not their order.
            var lexical = index.Search(new KnowledgeQuery { Subject = question, Mode = RetrievalMode.Lexical, TopK = 1000, KeepDuplicates = true }).Hits;
            foreach (var filter in Filtered)
            {
                var query = filter with { Subject = question, Mode = RetrievalMode.Lexical, TopK = 5, KeepDuplicates = true };
                var expected = lexical.Where(h => Holds(h.Document, filter)).Take(5).Select(h => h.Document.Id);
                Assert.Equal(expected, index.Search(query).Hits.Select(h => h.Document.Id));
            }
        }
    }

    [Fact]
    public async Task Filtered_search_returns_the_unfiltered_ranking_filtered_after_updates_deletes_and_a_restart()
    {
        var path = _directory.Combine("tickets");
        var documents = Generated();
        using (var index = KnowledgeIndex.Open("tickets", path, fixture.Encoder, encoderLanguages: []))
        {
            await index.UpsertAsync(documents);
            AssertFilteredEqualsFilteringTheRanking(index);

            // Moved to other filter values, deleted, and new ids in the freed slots.
            await index.UpsertAsync([documents[1] with { Queue = "Network", Language = "de", Date = null }, documents[4] with { Queue = null, Date = Start.AddDays(12) }]);
            await index.DeleteAsync(["t-2", "t-5", "t-6"]);
            await index.UpsertAsync([documents[2] with { Id = "n-1", Queue = "Billing", Language = "fr" }, documents[5] with { Id = "n-2", Date = Start.AddDays(30) }]);
            Assert.Equal("Network", index.Get("t-1")!.Queue);
            AssertFilteredEqualsFilteringTheRanking(index);
        }

        using var reopened = KnowledgeIndex.Open("tickets", path, fixture.Encoder);
        AssertFilteredEqualsFilteringTheRanking(reopened);
        await reopened.RebuildAsync(reopened.Documents().Where(d => d.Queue != "Accounts").ToList());
        AssertFilteredEqualsFilteringTheRanking(reopened);
    }

    public void Dispose() => _directory.Dispose();
}
