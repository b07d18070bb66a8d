using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Tests.Features;

public class HashedNgramFeaturizerTests
{
    private static readonly HashedNgramFeaturizer Featurizer = new(new FeaturizerSettings { Buckets = 1 << 16 });

    [Fact]
    public void Featurize_is_deterministic_across_instances()
    {
        var ticket = new TicketText("Rechnung doppelt belastet", "Sehr geehrte Damen und Herren, meine Kreditkarte wurde zweimal belastet.");
        var first = Featurizer.Featurize(ticket);
        var second = new HashedNgramFeaturizer(new FeaturizerSettings { Buckets = 1 << 16 }).Featurize(ticket);

        Assert.Equal(first.Ids, second.Ids);
        Assert.Equal(first.Weights, second.Weights);
    }

    [Fact]
    public void Featurize_returns_sorted_unique_ids_with_unit_norm()
    {
        var features = Featurizer.Featurize(new TicketText("Login fails", "I cannot log in. Login fails again and again."));

        Assert.Equal(features.Ids.Order().Distinct(), features.Ids);
        Assert.All(features.Ids, id => Assert.InRange(id, 0, (1 << 16) - 1));
        Assert.Equal(1.0, features.Weights.Sum(w => (double)w * w), 5);
    }

    [Fact]
    public void Separate_word_buckets_put_words_in_the_lower_half_and_char_ngrams_in_the_upper_half()
    {
        var settings = new FeaturizerSettings { Buckets = 1 << 16, SeparateWordBuckets = true };
        var ticket = new TicketText("Login fails", "I cannot log in. Login fails again and again.");
        var all = new HashedNgramFeaturizer(settings).Featurize(ticket).Ids;
        var words = new HashedNgramFeaturizer(settings with { CharNgramMin = 0, CharNgramMax = 0 }).Featurize(ticket).Ids;

        Assert.NotEmpty(words);
        Assert.All(words, id => Assert.InRange(id, 0, (1 << 15) - 1));
        Assert.Subset(all.ToHashSet(), words.ToHashSet());
        Assert.All(all.Except(words), id => Assert.InRange(id, 1 << 15, (1 << 16) - 1));
        Assert.NotEmpty(all.Except(words));
    }

    [Fact]
    public void Featurize_ignores_case_and_literal_newline_escapes()
    {
        var plain = Featurizer.Featurize(new TicketText(null, "Hello team\nmy VPN is down"));
        var escaped = Featurizer.Featurize(new TicketText(null, "hello TEAM\\nMY vpn IS DOWN"));

        Assert.Equal(plain.Ids, escaped.Ids);
        Assert.Equal(plain.Weights, escaped.Weights);
    }

    [Fact]
    public void Featurize_weights_subject_words_above_the_same_words_in_the_body()
    {
        var inSubject = Featurizer.Featurize(new TicketText("invoice", "please help"));
        var inBody = Featurizer.Featurize(new TicketText(null, "invoice please help"));
        var invoice = new HashedNgramFeaturizer(new FeaturizerSettings { Buckets = 1 << 16, CharNgramMin = 0, CharNgramMax = 0, WordNgrams = 1 })
            .Featurize(new TicketText(null, "invoice")).Ids.Single();

        Assert.True(WeightOf(inSubject, invoice) > WeightOf(inBody, invoice));
    }

    [Fact]
    public void Featurize_returns_no_features_for_empty_text()
    {
        var features = Featurizer.Featurize(new TicketText("  ", null));

        Assert.Equal(0, features.Count);
    }

    [Fact]
    public void Featurize_bounds_work_for_oversized_text()
    {
        var featurizer = new HashedNgramFeaturizer(new FeaturizerSettings { Buckets = 1 << 16, MaxTextChars = 1_000 });
        var huge = string.Join(' ', Enumerable.Range(0, 200_000).Select(i => $"w{i}"));
        var bounded = featurizer.Featurize(TicketText.FromBody(huge));
        var prefix = featurizer.Featurize(TicketText.FromBody(huge[..1_000]));

        Assert.Equal(prefix.Ids, bounded.Ids);
    }

    [Fact]
    public void Constructor_rejects_unknown_featurizer_kind()
    {
        var error = Assert.Throws<ArgumentException>(() => new HashedNgramFeaturizer(new FeaturizerSettings { Kind = "bpe" }));

        Assert.Contains("bpe", error.Message, StringComparison.Ordinal);
    }

    private static float WeightOf(SparseFeatures features, int id)
    {
        var index = Array.IndexOf(features.Ids, id);
        return index < 0 ? 0 : features.Weights[index];
    }
}
