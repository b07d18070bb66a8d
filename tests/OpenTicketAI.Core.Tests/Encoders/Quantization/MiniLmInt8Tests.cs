using System.Numerics.Tensors;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Encoders.Quantization;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Core.Tests.Encoders.Quantization;

/// <summary>The packaged MiniLM as float and as int8, loaded once for the tests below.</summary>
public sealed class MiniLmPairFixture : IDisposable
{
    public SentenceEncoder FloatEncoder { get; } = SentenceEncoder.LoadMiniLm(new EncoderOptions { MaxTokens = 128 });

    public SentenceEncoder QuantizedEncoder { get; } = SentenceEncoder.LoadMiniLmInt8(new EncoderOptions { MaxTokens = 128 });

    public void Dispose()
    {
        FloatEncoder.Dispose();
        QuantizedEncoder.Dispose();
    }
}

public sealed class MiniLmInt8Tests(MiniLmPairFixture fixture) : IClassFixture<MiniLmPairFixture>
{
    private static readonly string[] Subjects = ["printer", "VPN connection", "invoice", "password reset", "laptop battery", "shared mailbox", "refund", "delivery"];
    private static readonly string[] Problems =
    [
        "stopped working after the update this morning",
        "shows an error every time I try to use it",
        "is charged twice on my credit card statement",
        "needs to be set up for a new colleague starting Monday",
        "is very slow and the whole team is waiting",
    ];

    [Fact]
    public void The_int8_graph_has_no_float_matmul_with_a_constant_weight_left()
    {
        var model = MiniLmPackage.ReadModel();

        Assert.Equal(36, DynamicQuantizer.CountFloatWeightMatMuls(model));
        Assert.Equal(0, DynamicQuantizer.CountFloatWeightMatMuls(MiniLmPackage.ReadQuantizedModel()));
    }

    [Fact]
    public void Int8_embeddings_agree_with_the_float_encoders_on_generated_sentences()
    {
        var tickets = Subjects.SelectMany(s => Problems.Select(p => new TicketText($"My {s}", $"The {s} {p}. Could you please have a look?"))).ToArray();

        var reference = fixture.FloatEncoder.Encode(tickets);
        var quantized = fixture.QuantizedEncoder.Encode(tickets);

        var cosines = reference.Zip(quantized, (a, b) => TensorPrimitives.CosineSimilarity(a, b)).ToArray();
        Assert.True(cosines.Min() >= 0.97f, $"min cosine {cosines.Min()}");
        Assert.True(cosines.Average() >= 0.985f, $"mean cosine {cosines.Average()}");
        var sameNearest = Enumerable.Range(0, tickets.Length).Count(i => Nearest(reference, i) == Nearest(quantized, i));
        Assert.True(sameNearest >= 0.9 * tickets.Length, $"same nearest neighbour for {sameNearest} of {tickets.Length}");
    }

    [Fact]
    public void Int8_encoder_is_named_and_identified_by_the_hash_of_its_quantised_bytes()
    {
        var spec = fixture.QuantizedEncoder.ToSpec();

        Assert.Equal(SentenceEncoder.MiniLmInt8Kind, spec.Kind);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(MiniLmPackage.ReadQuantizedModel())), spec.Sha256);
        Assert.NotEqual(MiniLmPackage.ModelSha256, spec.Sha256);
        Assert.Equal(384, spec.Dimension);
    }

    [Fact]
    public void A_manifest_naming_the_int8_encoder_loads_it_through_the_cache_and_open_by_name_reuses_it()
    {
        using var cache = new EncoderCache();
        var spec = fixture.QuantizedEncoder.ToSpec();

        using var loaded = cache.Load(spec, modelDirectory: ".");
        using var opened = cache.Open("minilm-int8", new EncoderOptions { MaxTokens = 32 });
        using var floatOpened = cache.Open("minilm", new EncoderOptions { MaxTokens = 32 });

        Assert.Equal(2, cache.Count);
        Assert.Equal((SentenceEncoder.MiniLmInt8Kind, spec.Sha256), (opened.Kind, opened.Sha256));
        Assert.Equal(SentenceEncoder.MiniLmKind, floatOpened.Kind);
        var ticket = new TicketText("VPN", "The VPN drops every hour.");
        Assert.Equal(fixture.QuantizedEncoder.Encode(ticket), loaded.Encode(ticket));
    }

    [Fact]
    public void A_manifest_naming_the_float_encoder_refuses_the_int8_one()
    {
        var spec = fixture.FloatEncoder.ToSpec() with { Kind = SentenceEncoder.MiniLmInt8Kind };

        var error = Assert.Throws<EncoderException>(() => SentenceEncoder.Load(spec, modelDirectory: "."));
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    private static int Nearest(float[][] vectors, int i) =>
        Enumerable.Range(0, vectors.Length).Where(j => j != i).MaxBy(j => TensorPrimitives.Dot(vectors[i], vectors[j]));
}
