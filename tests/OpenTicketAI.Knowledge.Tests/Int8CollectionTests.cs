using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

[Collection(EncoderCollection.Name)]
public sealed class Int8CollectionTests(EncoderFixture fixture) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_collection_indexed_with_minilm_int8_names_it_and_reloads_with_a_freshly_quantised_encoder()
    {
        var path = _directory.Combine("tickets");
        using (var encoder = SentenceEncoder.Open("minilm-int8", new EncoderOptions { MaxTokens = 128 }))
        using (var index = KnowledgeIndex.Open("tickets", path, encoder))
        {
            await index.UpsertAsync(KnowledgeFixtures.Tickets());
        }

        using var reloaded = SentenceEncoder.Open("minilm-int8", new EncoderOptions { MaxTokens = 128 });
        using var reopened = KnowledgeIndex.Open("tickets", path, reloaded);

        Assert.Equal(SentenceEncoder.MiniLmInt8Kind, reopened.Manifest.Encoder);
        Assert.Equal(reloaded.Sha256, reopened.Manifest.EncoderSha256);
        Assert.Equal(["en"], reopened.Manifest.EncoderLanguages);
        Assert.Equal(SentenceEncoder.MiniLmInt8Kind, KnowledgeIndex.ReadManifest(path)!.Encoder);
        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var result = reopened.Search(new KnowledgeQuery { Subject = question, TopK = 3, Mode = RetrievalMode.Dense });
            Assert.Equal(queue, result.Hits[0].Document.Queue);
        }
    }

    [Fact]
    public async Task A_collection_indexed_with_minilm_int8_is_refused_by_the_float_encoder()
    {
        var path = _directory.Combine("tickets");
        using (var encoder = SentenceEncoder.Open("minilm-int8", new EncoderOptions { MaxTokens = 128 }))
        using (var index = KnowledgeIndex.Open("tickets", path, encoder))
        {
            await index.UpsertAsync(KnowledgeFixtures.Tickets().Take(4).ToList());
        }

        var error = Assert.Throws<KnowledgeException>(() => KnowledgeIndex.Open("tickets", path, fixture.Encoder));
        Assert.Contains("rebuild", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuilding_a_float_collection_with_minilm_int8_moves_it_to_the_int8_encoder()
    {
        var path = _directory.Combine("tickets");
        using (var index = KnowledgeIndex.Open("tickets", path, fixture.Encoder))
        {
            await index.UpsertAsync(KnowledgeFixtures.Tickets());
        }

        using var encoder = SentenceEncoder.Open("minilm-int8", new EncoderOptions { MaxTokens = 128 });
        using (var moving = KnowledgeIndex.Open("tickets", path, encoder, replaceEncoder: true))
        {
            await Assert.ThrowsAsync<KnowledgeException>(() => moving.UpsertAsync(KnowledgeFixtures.Tickets().Take(1).ToList()));
            Assert.Equal(RetrievalMode.Lexical, moving.Search(new KnowledgeQuery { Subject = KnowledgeFixtures.HeldOut().First().Question }).Mode);

            await moving.RebuildAsync(KnowledgeFixtures.Tickets());
            Assert.Equal(encoder.Sha256, moving.Manifest.EncoderSha256);
        }

        using var reopened = KnowledgeIndex.Open("tickets", path, encoder);
        Assert.Equal(SentenceEncoder.MiniLmInt8Kind, reopened.Manifest.Encoder);
        foreach (var (queue, question) in KnowledgeFixtures.HeldOut())
        {
            var result = reopened.Search(new KnowledgeQuery { Subject = question, TopK = 3 });
            Assert.Equal((RetrievalMode.Fused, queue), (result.Mode, result.Hits[0].Document.Queue));
        }

        Assert.Throws<KnowledgeException>(() => KnowledgeIndex.Open("tickets", path, fixture.Encoder));
    }

    public void Dispose() => _directory.Dispose();
}
