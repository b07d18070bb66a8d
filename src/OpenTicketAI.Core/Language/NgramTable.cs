using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OpenTicketAI.Core.Language;

/// <summary>
/// Lingua's character 1- to 5-gram probabilities for a set of languages in one compact table: an open-addressing hash
/// of the n-grams (XxHash3 of their characters, 80% full) pointing at a row of one byte per language (the
/// log-probability in 255 steps; 0 = not seen in that language). About 75 MB for 14 languages, where Lingua's own
/// high-accuracy mode holds the same models in about 1 GB. Immutable once loaded; thread-safe.
/// </summary>
internal sealed class NgramTable
{
    public const int MaxOrder = 5;

    private const double LogProbabilityFloor = -20;
    private const double Step = -LogProbabilityFloor / 254;
    private static readonly string[] OrderFiles = ["unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"];

    // The files are the same for every identifier in the process; loading them takes a second or two and ~90 MB.
    private static readonly ConcurrentDictionary<string, Lazy<NgramTable>> Loaded = new(StringComparer.Ordinal);

    private readonly ulong[] _keys;
    private readonly int[] _rows;
    private readonly byte[] _values;

    private NgramTable(IReadOnlyList<string> languages, ulong[] keys, int[] rows, byte[] values, IReadOnlyList<Script> scripts)
    {
        Languages = languages;
        Scripts = scripts;
        _keys = keys;
        _rows = rows;
        _values = values;
    }

    /// <summary>Lowercase ISO 639-1 codes, in the order of every score array.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>The script each language is written in, taken from its own unigrams.</summary>
    public IReadOnlyList<Script> Scripts { get; }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Lingua", "LanguageModels");

    /// <summary>The table of <paramref name="languages"/>, loaded once per process and set of languages.</summary>
    public static NgramTable For(IReadOnlyList<string> languages, string? directory = null)
    {
        directory ??= DefaultDirectory;
        var key = directory + "|" + string.Join(",", languages);
        return Loaded.GetOrAdd(key, _ => new Lazy<NgramTable>(() =>
        {
            var table = Load(languages, directory);

            // Parsing the files takes a few hundred MB for a moment; give it back to the system rather than keep it.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return table;
        })).Value;
    }

    /// <summary>
    /// Adds to <paramref name="scores"/> (one per language) the log-probability of every 1- to 5-gram of every word, as
    /// Lingua's high-accuracy mode does: an n-gram a language has not seen backs off to its shorter prefixes, and one
    /// whose first letter the language has not seen at all costs the floor. Returns how many n-grams were scored.
    /// </summary>
    public int Score(IEnumerable<string> words, Span<double> scores)
    {
        var languages = Languages.Count;
        var ngrams = 0;
        // prefixes[k] is the row of the (k+1)-gram at the current start: every n-gram starting there and its back-off
        // chain are prefixes of the longest one, so each substring is looked up once, not once per n-gram that backs off to it.
        Span<int> prefixes = stackalloc int[MaxOrder];
        Span<byte> seen = stackalloc byte[languages];
        // Sums in whole quantisation steps and floor counts: exact, and one multiplication per language at the end.
        Span<long> steps = stackalloc long[languages];
        Span<int> floors = stackalloc int[languages];
        steps.Clear();
        floors.Clear();
        foreach (var word in words)
        {
            for (var start = 0; start < word.Length; start++)
            {
                var longest = Math.Min(MaxOrder, word.Length - start);
                ngrams += longest;
                for (var length = 1; length <= longest; length++)
                {
                    prefixes[length - 1] = Find(word.AsSpan(start, length));
                }

                for (var order = 1; order <= longest; order++)
                {
                    // Per language, the longest prefix it has seen decides.
                    seen.Clear();
                    for (var k = order - 1; k >= 0; k--)
                    {
                        if (prefixes[k] >= 0)
                        {
                            var row = _values.AsSpan(prefixes[k] * languages, languages);
                            for (var language = 0; language < languages; language++)
                            {
                                if (seen[language] == 0)
                                {
                                    seen[language] = row[language];
                                }
                            }
                        }
                    }

                    for (var language = 0; language < languages; language++)
                    {
                        if (seen[language] > 0)
                        {
                            steps[language] += seen[language] - 1;
                        }
                        else
                        {
                            floors[language]++;
                        }
                    }
                }
            }
        }

        for (var language = 0; language < languages; language++)
        {
            scores[language] += (steps[language] * -Step) + (floors[language] * LogProbabilityFloor);
        }

        return ngrams;
    }

    private int Find(ReadOnlySpan<char> gram)
    {
        var hash = Hash(gram);
        for (var slot = Slot(hash, _keys.Length); ; slot = slot + 1 == _keys.Length ? 0 : slot + 1)
        {
            if (_keys[slot] == hash)
            {
                return _rows[slot];
            }

            if (_keys[slot] == 0)
            {
                return -1;
            }
        }
    }

    /// <summary>Lemire's multiply-shift: a slot in [0, capacity) without a division.</summary>
    private static int Slot(ulong hash, int capacity) => (int)(((hash >> 32) * (ulong)capacity) >> 32);

    private static ulong Hash(ReadOnlySpan<char> gram) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(gram)) is var h and not 0 ? h : 1;

    private static NgramTable Load(IReadOnlyList<string> languages, string directory)
    {
        var paths = languages.Select(code => OrderFiles.Select(order => Path.Combine(directory, code, order + ".json.br")).ToArray()).ToArray();
        var missing = paths.SelectMany(p => p).FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            throw new FileNotFoundException($"{missing}: Lingua's n-gram model is missing (it ships with the SearchPioneer.Lingua package's content files).", missing);
        }

        // Files are parsed in parallel; the table is filled in language order, so it is the same on every load.
        var parsed = paths.AsParallel().AsOrdered().Select(files => files.Select(Read).ToArray()).ToArray();

        var builder = new Builder(languages.Count);
        var scripts = new Script[languages.Count];
        for (var language = 0; language < languages.Count; language++)
        {
            scripts[language] = parsed[language][0].Unigrams.GroupBy(Language.Scripts.Of).MaxBy(g => g.Count())!.Key;
            foreach (var file in parsed[language])
            {
                for (var i = 0; i < file.Hashes.Count; i++)
                {
                    builder.Set(file.Hashes[i], language, file.Values[i]);
                }
            }
        }

        return builder.Build(languages, scripts);
    }

    /// <summary>Open addressing that doubles at 70% load; rows of one byte per language in one growing array.</summary>
    private sealed class Builder(int languages)
    {
        private ulong[] _keys = new ulong[1 << 16];
        private int[] _rows = new int[1 << 16];
        private byte[] _values = new byte[(1 << 16) * languages];
        private int _count;

        public void Set(ulong hash, int language, byte value)
        {
            var row = Row(hash);
            _values[(row * languages) + language] = value;
        }

        /// <summary>The final table, re-packed 80% full (the builder doubles, so it ends 35–70% full).</summary>
        public NgramTable Build(IReadOnlyList<string> codes, Script[] scripts)
        {
            var capacity = (_count * 5 / 4) + 1;
            var (keys, rows) = (new ulong[capacity], new int[capacity]);
            for (var i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] != 0)
                {
                    var slot = Slot(_keys[i], capacity);
                    while (keys[slot] != 0)
                    {
                        slot = slot + 1 == capacity ? 0 : slot + 1;
                    }

                    (keys[slot], rows[slot]) = (_keys[i], _rows[i]);
                }
            }

            return new(codes, keys, rows, _values[..(_count * languages)], scripts);
        }

        private int Row(ulong hash)
        {
            var mask = _keys.Length - 1;
            var slot = (int)hash & mask;
            while (_keys[slot] != 0)
            {
                if (_keys[slot] == hash)
                {
                    return _rows[slot];
                }

                slot = (slot + 1) & mask;
            }

            if ((_count + 1) * 10 > _keys.Length * 7)
            {
                Grow();
                return Row(hash);
            }

            (_keys[slot], _rows[slot]) = (hash, _count);
            if ((_count + 1) * languages > _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            return _count++;
        }

        private void Grow()
        {
            var (keys, rows) = (_keys, _rows);
            (_keys, _rows) = (new ulong[keys.Length * 2], new int[keys.Length * 2]);
            var mask = _keys.Length - 1;
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] != 0)
                {
                    var slot = (int)keys[i] & mask;
                    while (_keys[slot] != 0)
                    {
                        slot = (slot + 1) & mask;
                    }

                    (_keys[slot], _rows[slot]) = (keys[i], rows[i]);
                }
            }
        }
    }

    private sealed record ModelFile(List<ulong> Hashes, List<byte> Values, List<char> Unigrams);

    private static byte Quantize(double logProbability) =>
        (byte)(1 + Math.Clamp(Math.Round(logProbability / -Step), 0, 254));

    /// <summary>Lingua's model file: {"language": ..., "ngrams": {"count/total": "gram gram ...", ...}}, Brotli-compressed.</summary>
    private static ModelFile Read(string path)
    {
        // Utf8JsonReader over our own buffer: JsonDocument would rent its buffers from the shared pool, which keeps them.
        using var brotli = new BrotliStream(File.OpenRead(path), CompressionMode.Decompress);
        using var json = new MemoryStream();
        brotli.CopyTo(json);
        var reader = new Utf8JsonReader(json.GetBuffer().AsSpan(0, (int)json.Length));
        var result = new ModelFile([], [], []);
        var inNgrams = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                inNgrams = reader.ValueTextEquals("ngrams"u8);
                continue;
            }

            if (!inNgrams || reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2)
            {
                continue;
            }

            var fraction = reader.GetString()!;
            reader.Read();
            var slash = fraction.IndexOf('/', StringComparison.Ordinal);
            var value = Quantize(Math.Log(double.Parse(fraction.AsSpan(0, slash), CultureInfo.InvariantCulture) /
                                          double.Parse(fraction.AsSpan(slash + 1), CultureInfo.InvariantCulture)));
            var grams = reader.GetString().AsSpan();
            foreach (var range in grams.Split(' '))
            {
                var gram = grams[range];
                if (gram.Length == 0)
                {
                    continue;
                }

                result.Hashes.Add(Hash(gram));
                result.Values.Add(value);
                if (gram.Length == 1)
                {
                    result.Unigrams.Add(gram[0]);
                }
            }
        }

        return result;
    }
}
