using Lucene.Net.Index;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

[Collection(EncoderCollection.Name)]
public sealed class KnowledgeIndexTests(EncoderFixture fixture) : IDisposable
{
    private readonly TempDirectory _directory = new();

    private KnowledgeIndex Open() => KnowledgeIndex.Open("tickets", _directory.Combine("tickets"), fixture.Encoder);

    [Fact]
    public async Task Held_out_paraphrases_find_a_ticket_of_their_topic_first()
    {
        using var index = Open();
        await index.UpsertAsync(KnowledgeFixtures.Tickets());

        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var result = index.Search(new KnowledgeQuery { Subject = question, TopK = 3 });
            Assert.Equal(RetrievalMode.Fused, result.Mode);
            Assert.Equal(queue, result.Hits[0].Document.Queue);
            Assert.NotNull(result.Hits[0].Cosine);
        }
    }

    [Fact]
    public async Task Upserting_the_same_batch_twice_replaces_instead_of_adding()
    {
        using var index = Open();
        var tickets = KnowledgeFixtures.Tickets();
        var first = await index.UpsertAsync(tickets);
        var second = await index.UpsertAsync(tickets);
        var changed = await index.UpsertAsync([tickets[0] with { Answer = "A new answer." }]);

        Assert.Equal((tickets.Count, 0), (first.Added, first.Replaced));
        Assert.Equal((0, tickets.Count, tickets.Count), (second.Added, second.Replaced, second.Count));
        Assert.Equal(tickets.Count, changed.Count);
        Assert.Equal("A new answer.", index.Get(tickets[0].Id)!.Answer);
        var hits = index.Search(new KnowledgeQuery { Subject = tickets[0].Title, TopK = 20, KeepDuplicates = true }).Hits;
        Assert.Single(hits, h => h.Document.Id == tickets[0].Id);
    }

    [Fact]
    public async Task Documents_vectors_and_settings_survive_a_restart()
    {
        var tickets = KnowledgeFixtures.Tickets();
        float[] before;
        using (var index = Open())
        {
            await index.UpsertAsync(tickets);
            await index.DeleteAsync([tickets[1].Id]);
            await index.SaveFusionAsync(index.Manifest.Fusion with { DenseWeight = 0.42 });
            before = index.Vector(tickets[0].Id)!;
        }

        using var reopened = Open();
        Assert.Equal(tickets.Count - 1, reopened.Count);
        Assert.Null(reopened.Get(tickets[1].Id));
        Assert.Equal(tickets[0] with { Tags = [] }, reopened.Get(tickets[0].Id)! with { Tags = [] });
        Assert.Equal(tickets[0].Tags, reopened.Get(tickets[0].Id)!.Tags);
        Assert.Equal(before, reopened.Vector(tickets[0].Id));
        Assert.Equal(0.42, reopened.Manifest.Fusion.DenseWeight);
    }

    [Fact]
    public async Task A_crash_in_the_middle_of_a_write_leaves_the_last_commit_readable()
    {
        var tickets = KnowledgeFixtures.Tickets();
        var path = _directory.Combine("tickets");
        using (var index = Open())
        {
            await index.UpsertAsync(tickets);
        }

        // What a killed writer leaves: a flushed but uncommitted segment, a half-written next commit point and a lock file.
        var generation = Path.Combine(path, File.ReadAllText(Path.Combine(path, KnowledgeIndex.CurrentFile)).Trim(), "index");
        using (var directory = Lucene.Net.Store.FSDirectory.Open(generation))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(Retrieval.TicketAnalyzer.Version, new Retrieval.TicketAnalyzer())))
        {
            writer.DeleteAll();
            writer.Flush(triggerMerge: false, applyAllDeletes: true);
            writer.Rollback();
        }

        var next = SegmentInfos.GetLastCommitGeneration(Directory.GetFiles(generation).Select(Path.GetFileName).ToArray()) + 1;
        File.WriteAllBytes(Path.Combine(generation, IndexFileNames.FileNameFromGeneration(IndexFileNames.SEGMENTS, string.Empty, next)), [0x3f, 0xd7, 0x6c, 0x17, 0, 0]);
        File.WriteAllText(Path.Combine(generation, "_9.fdt"), "partial");
        // And a rebuild that died before it switched the current pointer.
        Directory.CreateDirectory(Path.Combine(path, "g99990101000000000-deadbeef", "index"));

        using var reopened = Open();
        Assert.Equal(tickets.Count, reopened.Count);
        Assert.Equal("Billing", reopened.Search(new KnowledgeQuery { Subject = "refund my double charge" }).Hits[0].Document.Queue);
        Assert.False(Directory.Exists(Path.Combine(path, "g99990101000000000-deadbeef")));
        await reopened.UpsertAsync([tickets[0] with { Id = "after-crash" }]);
        Assert.Equal(tickets.Count + 1, reopened.Count);
    }

    [Fact]
    public async Task A_rebuild_replaces_every_document_and_keeps_one_generation()
    {
        using var index = Open();
        var tickets = KnowledgeFixtures.Tickets();
        await index.UpsertAsync(tickets);
        await index.RebuildAsync(tickets.Take(3).ToList());

        Assert.Equal(3, index.Count);
        Assert.Single(Directory.GetDirectories(index.Directory, "g*"));
        using var reopened = Open();
        Assert.Equal(tickets.Take(3).Select(t => t.Id).Order(), reopened.Documents().Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Filters_on_queue_language_and_date_hold_for_every_hit()
    {
        using var index = Open();
        var tickets = KnowledgeFixtures.Tickets();
        await index.UpsertAsync([.. tickets, new KnowledgeDocument { Id = "de-1", Title = "Passwort vergessen", Body = "Ich kann mich nicht anmelden, Passwort vergessen.", Queue = "Accounts", Language = "de" }]);
        var from = tickets[2].Date!.Value;

        var byQueue = index.Search(new KnowledgeQuery { Subject = "password reset", Queue = "Billing", TopK = 10 }).Hits;
        var byLanguage = index.Search(new KnowledgeQuery { Subject = "Passwort", Language = "de", TopK = 10 }).Hits;
        var byDate = index.Search(new KnowledgeQuery { Subject = "password reset", From = from, To = from.AddDays(3), TopK = 10 }).Hits;

        Assert.NotEmpty(byQueue);
        Assert.All(byQueue, h => Assert.Equal("Billing", h.Document.Queue));
        Assert.Equal(["de-1"], byLanguage.Select(h => h.Document.Id));
        Assert.NotEmpty(byDate);
        Assert.All(byDate, h => Assert.InRange(h.Document.Date!.Value, from, from.AddDays(3)));
    }

    [Fact]
    public async Task Near_duplicates_are_collapsed_into_the_best_hit()
    {
        using var index = Open();
        var original = KnowledgeFixtures.Tickets()[0];
        await index.UpsertAsync([original, original with { Id = "copy-1" }, original with { Id = "copy-2", Body = original.Body + " " }, KnowledgeFixtures.Tickets()[4]]);

        var collapsed = index.Search(new KnowledgeQuery { Subject = original.Title, TopK = 5 }).Hits;
        var kept = index.Search(new KnowledgeQuery { Subject = original.Title, TopK = 5, KeepDuplicates = true }).Hits;

        Assert.Equal(2, collapsed[0].Duplicates);
        Assert.Equal(2, collapsed.Count);
        Assert.Equal(4, kept.Count);
    }

    [Fact]
    public async Task A_language_the_encoder_does_not_know_is_searched_lexically()
    {
        using var index = Open();
        await index.UpsertAsync(
        [
            new KnowledgeDocument { Id = "de-vpn", Title = "VPN-Verbindung bricht ab", Body = "Die VPN-Verbindung bricht alle paar Minuten ab.", Queue = "Network", Language = "de" },
            new KnowledgeDocument { Id = "de-drucker", Title = "Drucker druckt nicht", Body = "Der Drucker im Büro druckt nichts.", Queue = "Hardware", Language = "de" },
        ]);

        var result = index.Search(new KnowledgeQuery { Subject = "Drucker im zweiten Stock druckt nicht", Language = "de-DE" });

        Assert.Equal(RetrievalMode.Lexical, result.Mode);
        Assert.Equal("de-drucker", result.Hits[0].Document.Id);
        Assert.Null(index.Vector("de-vpn"));
        Assert.Null(result.Hits[0].Cosine);
    }

    [Fact]
    public void An_index_made_with_another_encoder_is_refused()
    {
        using (KnowledgeIndex.Open("tickets", _directory.Combine("tickets"), fixture.Encoder))
        {
        }

        var manifestPath = Directory.GetFiles(_directory.Combine("tickets"), CollectionManifest.FileName, SearchOption.AllDirectories).Single();
        CollectionManifest.Read(manifestPath).With(m => m with { EncoderSha256 = new string('0', 64) }).Write(manifestPath);

        var error = Assert.Throws<KnowledgeException>(Open);
        Assert.Contains("rebuild", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}

internal static class Functional
{
    public static T With<T>(this T value, Func<T, T> change) => change(value);
}
