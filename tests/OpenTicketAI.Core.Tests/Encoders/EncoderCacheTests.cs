using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Core.Tests.Encoders;

public sealed class EncoderCacheTests
{
    private static readonly TicketText Ticket = new("Printer broken", string.Join(' ', Enumerable.Repeat("The office printer shows a paper jam error again.", 20)));

    [Fact]
    public void Loading_the_same_encoder_twice_opens_one_session_with_each_models_window()
    {
        using var cache = new EncoderCache();
        var spec = MiniLmSpec(maxTokens: 128);

        using var first = cache.Load(spec, modelDirectory: ".");
        using var second = cache.Load(spec with { MaxTokens = 32 }, modelDirectory: ".");

        Assert.Equal(1, cache.Count);
        Assert.Equal(128, first.Tokenize(Ticket).Length);
        Assert.Equal(32, second.Tokenize(Ticket).Length);
        Assert.Equal(MiniLmPackage.ModelSha256, second.Sha256);
    }

    [Fact]
    public void Disposing_one_models_encoder_leaves_the_shared_session_usable()
    {
        using var cache = new EncoderCache();
        var spec = MiniLmSpec(maxTokens: 64);
        var first = cache.Load(spec, modelDirectory: ".");
        var before = first.Encode(Ticket);

        first.Dispose();
        using var second = cache.Load(spec, modelDirectory: ".");

        Assert.Equal(before, second.Encode(Ticket));
    }

    [Fact]
    public void Open_by_name_reuses_a_session_loaded_for_a_model()
    {
        using var cache = new EncoderCache();
        using var loaded = cache.Load(MiniLmSpec(maxTokens: 64), modelDirectory: ".");

        using var opened = cache.Open("minilm", new EncoderOptions { MaxTokens = 16 });

        Assert.Equal(1, cache.Count);
        Assert.Equal(16, opened.Tokenize(Ticket).Length);
    }

    [Fact]
    public void Load_refuses_an_encoder_whose_hash_differs_from_the_manifest_and_caches_nothing()
    {
        using var cache = new EncoderCache();

        Assert.Throws<EncoderException>(() => cache.Load(MiniLmSpec(maxTokens: 64) with { Sha256 = new string('0', 64) }, modelDirectory: "."));
        Assert.Equal(0, cache.Count);
    }

    private static Models.EncoderSpec MiniLmSpec(int maxTokens)
    {
        using var encoder = SentenceEncoder.LoadMiniLm(new EncoderOptions { MaxTokens = maxTokens });
        return encoder.ToSpec();
    }
}
