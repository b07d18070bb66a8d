using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

/// <summary>
/// One collection directory opened twice, as the service and <c>otai index</c> (or two replicas on a shared volume) open
/// it: two <see cref="KnowledgeIndex"/> instances share nothing but the files.
/// </summary>
[Collection(EncoderCollection.Name)]
public sealed class SharedCollectionTests(EncoderFixture fixture) : IDisposable
{
    private readonly TempDirectory _directory = new();

    private KnowledgeIndex Open() => KnowledgeIndex.Open("tickets", _directory.Combine("tickets"), fixture.Encoder);

    [Fact]
    public async Task Documents_another_process_upserts_are_found_after_a_refresh()
    {
        using var service = Open();
        using var indexer = Open();
        await indexer.UpsertAsync(KnowledgeFixtures.Tickets());

        Assert.Equal(0, service.Count);
        Assert.True(await service.RefreshAsync());
        Assert.False(await service.RefreshAsync());
        Assert.Equal(KnowledgeFixtures.Tickets().Count, service.Count);
        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var hit = service.Search(new KnowledgeQuery { Subject = question, TopK = 1 }).Hits[0];
            Assert.Equal(queue, hit.Document.Queue);
            Assert.NotNull(hit.Cosine);
        }
    }

    [Fact]
    public async Task Deletes_tuning_and_a_rebuild_by_another_process_are_picked_up()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var service = Open();
        await service.UpsertAsync(tickets);
        using var indexer = Open();

        await indexer.DeleteAsync([tickets[0].Id]);
        await indexer.SaveFusionAsync(indexer.Manifest.Fusion with { DenseWeight = 0.42 });
        await service.RefreshAsync();
        Assert.Null(service.Get(tickets[0].Id));
        Assert.Equal(0.42, service.Manifest.Fusion.DenseWeight);

        await indexer.RebuildAsync(tickets.Take(3).ToList());
        await service.RefreshAsync();
        Assert.Equal(tickets.Take(3).Select(t => t.Id).Order(), service.Documents().Select(d => d.Id).Order());

        // The service now writes into the rebuilt generation, where a third process finds its document.
        await service.UpsertAsync([tickets[5]]);
        using var reader = Open();
        Assert.Equal(4, reader.Count);
        Assert.NotNull(reader.Get(tickets[5].Id));
    }

    [Fact]
    public async Task A_write_after_another_process_wrote_keeps_both_writes_without_a_refresh()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var service = Open();
        using var indexer = Open();
        await service.UpsertAsync(tickets.Take(3).ToList());
        await indexer.UpsertAsync(tickets.Skip(3).Take(3).ToList());

        var written = await service.UpsertAsync(tickets.Skip(6).ToList());

        Assert.Equal(tickets.Count, written.Count);
        Assert.Equal(tickets.Select(t => t.Id).Order(), service.Documents().Select(d => d.Id).Order());
        Assert.False(await service.RefreshAsync());
        var lexical = service.Search(new KnowledgeQuery { Subject = tickets[4].Title, TopK = 1, Mode = RetrievalMode.Lexical, KeepDuplicates = true });
        Assert.Equal(tickets[4].Id, lexical.Hits[0].Document.Id);
    }

    [Fact]
    public async Task A_write_while_another_process_holds_the_write_lock_fails_as_busy_and_changes_nothing()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var service = Open();
        await service.UpsertAsync(tickets.Take(3).ToList());
        service.WriteLockTimeout = TimeSpan.FromMilliseconds(300);

        // What another process's writer holds while it commits: an exclusive OS lock on the collection's write.lock.
        using (new FileStream(Path.Combine(service.Directory, "write.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await Assert.ThrowsAsync<KnowledgeBusyException>(() => service.UpsertAsync([tickets[3]]));
            await Assert.ThrowsAsync<KnowledgeBusyException>(() => service.DeleteAsync([tickets[0].Id]));
        }

        Assert.Equal(3, service.Count);
        Assert.Null(service.Get(tickets[3].Id));
        await service.UpsertAsync([tickets[3]]);
        using var reopened = Open();
        Assert.Equal(4, reopened.Count);
    }

    [Fact]
    public async Task After_many_small_commits_with_replacements_deletes_and_merges_the_refreshed_copy_equals_a_fresh_open()
    {
        var tickets = KnowledgeFixtures.Tickets();
        using var service = Open();
        await service.UpsertAsync(tickets);
        using var indexer = Open();
        const int Commits = 40;
        for (var i = 0; i < Commits; i++)
        {
            var ticket = tickets[i % tickets.Count];
            await indexer.UpsertAsync(
            [
                ticket with { Id = $"new-{i}", Title = $"{ticket.Title} (case {i})", Queue = i % 2 == 0 ? "Even" : ticket.Queue },
                ticket with { Answer = $"Answer revised {i} times." },
            ]);
            await indexer.DeleteAsync([$"new-{i - 3}", tickets[(i + 5) % tickets.Count].Id]);
            if (i % 7 == 0)
            {
                await service.RefreshAsync();
            }
        }

        await service.RefreshAsync();

        using var fresh = Open();
        Assert.True(SegmentsOf(fresh) < Commits, "Lucene merged no segments, so the merge path went untested.");
        Assert.Equal(fresh.Documents().OrderBy(d => d.Id, StringComparer.Ordinal).Select(Describe), service.Documents().OrderBy(d => d.Id, StringComparer.Ordinal).Select(Describe));
        Assert.All(fresh.Documents(), d => Assert.Equal(fresh.Vector(d.Id), service.Vector(d.Id)));
        var query = new KnowledgeQuery { Subject = "printer case 39", TopK = 5, Mode = RetrievalMode.Lexical, KeepDuplicates = true };
        Assert.Equal(fresh.Search(query).Hits.Select(h => h.Document.Id), service.Search(query).Hits.Select(h => h.Document.Id));
    }

    private static string Describe(KnowledgeDocument d) => $"{d.Id}|{d.Title}|{d.Body}|{d.Answer}|{d.Queue}|{d.Language}|{string.Join(',', d.Tags)}|{d.Date:O}|{d.Reference}";

    private static int SegmentsOf(KnowledgeIndex index)
    {
        var generation = File.ReadAllText(Path.Combine(index.Directory, KnowledgeIndex.CurrentFile)).Trim();
        using var directory = Lucene.Net.Store.FSDirectory.Open(Path.Combine(index.Directory, generation, "index"));
        using var reader = Lucene.Net.Index.DirectoryReader.Open(directory);
        return reader.Leaves.Count;
    }

    public void Dispose() => _directory.Dispose();
}
