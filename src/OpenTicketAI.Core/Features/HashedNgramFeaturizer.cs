using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.ML.Tokenizers;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Features;

/// <summary>
/// Turns ticket text into hashed word 1..n-grams and character n-grams of each word (fastText-style,
/// language-independent). Thread-safe; the trainer and the service share it so features match exactly.
/// </summary>
public sealed class HashedNgramFeaturizer
{
    private const ulong WordSeed = 0x9E3779B97F4A7C15;
    private const ulong CharSeed = 0xC2B2AE3D27D4EB4F;
    private const int MaxWordLengthForCharNgrams = 40;

    private static readonly PreTokenizer Words = PreTokenizer.CreateWordOrPunctuation();

    private readonly FeaturizerSettings _settings;

    public HashedNgramFeaturizer(FeaturizerSettings settings)
    {
        if (settings.Kind != "hashed-ngrams")
        {
            throw new ArgumentException($"Unknown featurizer kind '{settings.Kind}' (supported: hashed-ngrams).", nameof(settings));
        }

        if (settings.Buckets < (settings.SeparateWordBuckets ? 4 : 2) || settings.WordNgrams < 1 || settings.CharNgramMin < 0 || settings.CharNgramMax < settings.CharNgramMin)
        {
            throw new ArgumentException("Featurizer settings are out of range: buckets >= 2 (4 with separate word buckets), wordNgrams >= 1, 0 <= charNgramMin <= charNgramMax.", nameof(settings));
        }

        _settings = settings;
    }

    public FeaturizerSettings Settings => _settings;

    public SparseFeatures Featurize(TicketText ticket)
    {
        var counts = new Dictionary<int, float>();
        AddText(ticket.Subject, _settings.SubjectWeight, counts);
        AddText(ticket.Body, 1f, counts);
        return Normalize(counts);
    }

    private void AddText(string? text, float weight, Dictionary<int, float> counts)
    {
        if (string.IsNullOrWhiteSpace(text) || weight <= 0)
        {
            return;
        }

        if (text.Length > _settings.MaxTextChars)
        {
            text = text[.._settings.MaxTextChars];
        }

        // Many exported tickets carry the two characters "\n" instead of a line break.
        text = text.Replace("\\n", "\n", StringComparison.Ordinal);
        if (_settings.Lowercase)
        {
            text = text.ToLowerInvariant();
        }

        var wordHashes = new List<ulong>();
        foreach (var (offset, length) in Words.PreTokenize(text))
        {
            var word = text.AsSpan(offset, length);
            var hash = Hash(word, WordSeed);
            wordHashes.Add(hash);
            AddWord(counts, hash, weight);
            if (char.IsLetterOrDigit(word[0]))
            {
                AddCharNgrams(word, weight, counts);
            }
        }

        for (var n = 2; n <= _settings.WordNgrams; n++)
        {
            for (var i = 0; i + n <= wordHashes.Count; i++)
            {
                var hash = wordHashes[i];
                for (var j = 1; j < n; j++)
                {
                    hash = Mix(hash, wordHashes[i + j]);
                }

                AddWord(counts, hash, weight);
            }
        }
    }

    private void AddCharNgrams(ReadOnlySpan<char> word, float weight, Dictionary<int, float> counts)
    {
        if (_settings.CharNgramMax == 0 || word.Length > MaxWordLengthForCharNgrams)
        {
            return;
        }

        Span<char> bounded = stackalloc char[word.Length + 2];
        bounded[0] = '<';
        word.CopyTo(bounded[1..]);
        bounded[^1] = '>';
        for (var n = Math.Max(1, _settings.CharNgramMin); n <= _settings.CharNgramMax; n++)
        {
            for (var start = 0; start + n <= bounded.Length; start++)
            {
                // The whole bounded word is already the word feature.
                if (n == bounded.Length)
                {
                    continue;
                }

                AddChar(counts, Hash(bounded.Slice(start, n), CharSeed), weight);
            }
        }
    }

    private void AddWord(Dictionary<int, float> counts, ulong hash, float weight)
    {
        var words = _settings.WordBucketCount();
        Add(counts, hash, 0, words > 0 ? words : _settings.Buckets, weight);
    }

    private void AddChar(Dictionary<int, float> counts, ulong hash, float weight)
    {
        var words = _settings.WordBucketCount();
        Add(counts, hash, words, _settings.Buckets - words, weight);
    }

    private void Add(Dictionary<int, float> counts, ulong hash, int first, int range, float weight)
    {
        var bucket = first + (int)((hash ^ _settings.HashSeed) % (ulong)range);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, bucket, out _);
        slot += weight;
    }

    private static ulong Hash(ReadOnlySpan<char> text, ulong seed) =>
        XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text), (long)seed);

    private static ulong Mix(ulong left, ulong right) =>
        (left * 0x100000001B3UL) ^ (right + 0x9E3779B97F4A7C15UL + (left << 6) + (left >> 2));

    private static SparseFeatures Normalize(Dictionary<int, float> counts)
    {
        var ids = new int[counts.Count];
        var weights = new float[counts.Count];
        var i = 0;
        foreach (var (id, count) in counts)
        {
            ids[i] = id;
            weights[i] = 1f + MathF.Log(count);
            i++;
        }

        Array.Sort(ids, weights);
        var norm = 0f;
        foreach (var w in weights)
        {
            norm += w * w;
        }

        if (norm > 0)
        {
            var scale = 1f / MathF.Sqrt(norm);
            for (var j = 0; j < weights.Length; j++)
            {
                weights[j] *= scale;
            }
        }

        return new SparseFeatures(ids, weights);
    }
}
