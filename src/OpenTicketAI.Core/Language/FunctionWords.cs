using System.Collections.Frozen;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace OpenTicketAI.Core.Language;

/// <summary>
/// Each language's function words (articles, prepositions, pronouns, auxiliaries: Lucene's Snowball and per-language
/// stop-word sets), as evidence the character n-grams miss on short texts: "com", "não" and "você" are Portuguese
/// however Spanish their letters look. A word counts for every language that lists it, so a word shared by Spanish,
/// Portuguese and French ("de", "que") tells those three from the rest but not apart. Immutable; thread-safe.
/// </summary>
internal sealed class FunctionWords
{
    /// <summary>
    /// Lucene.Net.Analysis.Common has no Polish list (it is in the Stempel package, which the project does not use):
    /// the most frequent Polish function words, written out.
    /// </summary>
    private static readonly string[] Polish =
    [
        "i", "w", "we", "z", "ze", "na", "do", "od", "po", "o", "u", "za", "przez", "przy", "pod", "nad", "bez", "dla",
        "nie", "się", "to", "że", "jest", "są", "był", "była", "było", "być", "będzie", "zostać", "został", "została",
        "zostało", "jak", "ale", "lub", "albo", "oraz", "czy", "aby", "żeby", "gdy", "jeśli", "jeżeli", "który", "która",
        "które", "którego", "których", "ten", "ta", "te", "tego", "tej", "tym", "tych", "ich", "jego", "jej", "już",
        "tylko", "także", "też", "można", "co", "tak", "jako", "wszystkie", "wszystkich", "może",
    ];

    private readonly FrozenDictionary<string, int[]> _languagesOf;
    private readonly bool[] _covered;

    /// <param name="languages">Lowercase ISO 639-1 codes, in the order of the score arrays.</param>
    public FunctionWords(IReadOnlyList<string> languages)
    {
        _covered = new bool[languages.Count];
        var languagesOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var language = 0; language < languages.Count; language++)
        {
            if (ListOf(languages[language]) is not { } words)
            {
                continue;
            }

            _covered[language] = true;
            foreach (var word in words.Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()).SelectMany(Spellings).Distinct(StringComparer.Ordinal))
            {
                if (!languagesOf.TryGetValue(word, out var list))
                {
                    languagesOf[word] = list = [];
                }

                list.Add(language);
            }
        }

        _languagesOf = languagesOf.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="language"/> has a list; without one it cannot be compared on this evidence.</summary>
    public bool Covers(int language) => _covered[language];

    /// <summary>Adds <paramref name="weight"/> to a language's score for each word of <paramref name="words"/> it lists.</summary>
    public void Score(IEnumerable<string> words, double weight, Span<double> scores)
    {
        foreach (var word in words)
        {
            if (_languagesOf.TryGetValue(word, out var languages))
            {
                foreach (var language in languages)
                {
                    scores[language] += weight;
                }
            }
        }
    }

    private static IEnumerable<string>? ListOf(string code) => code switch
    {
        "ar" => Lucene.Net.Analysis.Ar.ArabicAnalyzer.DefaultStopSet,
        "bg" => Lucene.Net.Analysis.Bg.BulgarianAnalyzer.DefaultStopSet,
        "ca" => Lucene.Net.Analysis.Ca.CatalanAnalyzer.DefaultStopSet,
        "cs" => Lucene.Net.Analysis.Cz.CzechAnalyzer.DefaultStopSet,
        "da" => Lucene.Net.Analysis.Da.DanishAnalyzer.DefaultStopSet,
        "de" => Lucene.Net.Analysis.De.GermanAnalyzer.DefaultStopSet,
        "el" => Lucene.Net.Analysis.El.GreekAnalyzer.DefaultStopSet,
        "en" => Snowball("english_stop.txt"),
        "es" => Lucene.Net.Analysis.Es.SpanishAnalyzer.DefaultStopSet,
        "eu" => Lucene.Net.Analysis.Eu.BasqueAnalyzer.DefaultStopSet,
        "fa" => Lucene.Net.Analysis.Fa.PersianAnalyzer.DefaultStopSet,
        "fi" => Lucene.Net.Analysis.Fi.FinnishAnalyzer.DefaultStopSet,
        "fr" => Lucene.Net.Analysis.Fr.FrenchAnalyzer.DefaultStopSet,
        "ga" => Lucene.Net.Analysis.Ga.IrishAnalyzer.DefaultStopSet,
        "hi" => Lucene.Net.Analysis.Hi.HindiAnalyzer.DefaultStopSet,
        "hu" => Lucene.Net.Analysis.Hu.HungarianAnalyzer.DefaultStopSet,
        "hy" => Lucene.Net.Analysis.Hy.ArmenianAnalyzer.DefaultStopSet,
        "id" => Lucene.Net.Analysis.Id.IndonesianAnalyzer.DefaultStopSet,
        "it" => Lucene.Net.Analysis.It.ItalianAnalyzer.DefaultStopSet,
        "lv" => Lucene.Net.Analysis.Lv.LatvianAnalyzer.DefaultStopSet,
        "nb" or "nn" => Lucene.Net.Analysis.No.NorwegianAnalyzer.DefaultStopSet,
        "nl" => Lucene.Net.Analysis.Nl.DutchAnalyzer.DefaultStopSet,
        "pl" => Polish,
        "pt" => Lucene.Net.Analysis.Pt.PortugueseAnalyzer.DefaultStopSet,
        "ro" => Lucene.Net.Analysis.Ro.RomanianAnalyzer.DefaultStopSet,
        "ru" => Lucene.Net.Analysis.Ru.RussianAnalyzer.DefaultStopSet,
        "sv" => Lucene.Net.Analysis.Sv.SwedishAnalyzer.DefaultStopSet,
        "tr" => Lucene.Net.Analysis.Tr.TurkishAnalyzer.DefaultStopSet,
        _ => null,
    };

    /// <summary>
    /// Lucene's EnglishAnalyzer keeps only 33 stop words; its Snowball list (174) is the one comparable to the others'.
    /// </summary>
    private static CharArraySet Snowball(string file)
    {
        var assembly = typeof(Lucene.Net.Analysis.Snowball.SnowballFilter).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Lucene.Net.Analysis.Common.Analysis.Snowball.{file}")
                           ?? throw new InvalidOperationException($"Lucene.Net.Analysis.Common no longer ships Snowball's {file}.");
        using var reader = new StreamReader(stream);
        return WordlistLoader.GetSnowballWordSet(reader, LuceneVersion.LUCENE_48);
    }

    /// <summary>Romanian lists are written with the cedilla letters (ş ţ) that older text uses; newer text has commas (ș ț).</summary>
    private static IEnumerable<string> Spellings(string word)
    {
        yield return word;
        var comma = word.Replace('ş', 'ș').Replace('ţ', 'ț');
        if (!string.Equals(comma, word, StringComparison.Ordinal))
        {
            yield return comma;
        }
    }
}
