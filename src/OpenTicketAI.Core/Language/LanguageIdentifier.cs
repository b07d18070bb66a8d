using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Language;

/// <summary>
/// Names the language of a ticket from Lingua's character 1- to 5-gram models (<see cref="NgramTable"/>), restricted to
/// the configured languages and loaded once: the text's script picks the candidate languages, their n-gram
/// log-likelihoods (tempered) give the confidence. Answers <see cref="LanguageCodes.Undetermined"/> (with needs-review)
/// when the text is too short, mixed, in another script, in one of the unserved languages or fits no candidate's
/// n-grams, rather than the nearest served language. Thread-safe.
/// </summary>
public sealed partial class LanguageIdentifier
{
    public const string HeadName = "language";

    /// <summary>
    /// The first pass reads this much: time grows with length, and a clear text is settled by its opening. Only an
    /// opening that needs review is read again, up to <see cref="MaxChars"/>.
    /// </summary>
    public const int FirstPassChars = 250;

    /// <summary>Longer texts are cut: the language is settled long before.</summary>
    public const int MaxChars = 1_000;

    private readonly NgramTable _table;
    private readonly FunctionWords _functionWords;
    private readonly int _servedCount;
    private readonly LanguageOptions _options;

    // Per model, not per request: a loaded manifest never changes, and a reload brings a new instance.
    private readonly ConditionalWeakTable<ModelManifest, ModelManifest> _described = new();

    public LanguageIdentifier(LanguageOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        Languages = options.Served;
        _servedCount = options.Served.Count;
        _table = NgramTable.For([.. options.Served, .. options.Decoys], options.ModelsDirectory);
        _functionWords = new FunctionWords(_table.Languages);
    }

    /// <summary>The served codes, lowercase, in configured order.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>Every label <see cref="Identify(string)"/> can answer: the served codes and <c>und</c>.</summary>
    public IReadOnlyList<string> Labels => [.. Languages, LanguageCodes.Undetermined];

    public HeadPrediction Identify(TicketText ticket) =>
        Identify(string.IsNullOrWhiteSpace(ticket.Subject) ? ticket.Body ?? "" : $"{ticket.Subject}\n{ticket.Body}");

    public HeadPrediction Identify(string text)
    {
        var opening = IdentifyOpening(text, FirstPassChars);
        return opening.NeedsReview && text.Length > FirstPassChars ? IdentifyOpening(text, MaxChars) : opening;
    }

    private HeadPrediction IdentifyOpening(string text, int chars)
    {
        var words = Words(Noise().Replace(text.Length > chars ? text[..chars] : text, " "));
        var letters = words.Sum(w => w.Length);
        if (letters < _options.MinLetters)
        {
            return Undetermined([]);
        }

        var script = ScriptOf(words);
        var candidates = Enumerable.Range(0, _table.Languages.Count).Where(l => _table.Scripts[l] == script).ToArray();
        if (candidates.Length == 0)
        {
            return Undetermined([]);
        }

        var logLikelihoods = new double[_table.Languages.Count];
        var ngrams = _table.Score(words, logLikelihoods);
        var ngramLogLikelihoods = (double[])logLikelihoods.Clone();
        if (_options.FunctionWordWeight > 0 && candidates.All(_functionWords.Covers))
        {
            _functionWords.Score(words, _options.FunctionWordWeight, logLikelihoods);
        }

        // Softmax of the log-likelihoods / T over the languages written in the text's script.
        var best = candidates.MaxBy(l => logLikelihoods[l]);
        var temperature = letters < _options.ShortTextLetters ? _options.ShortTextTemperature : _options.Temperature;
        var weights = candidates.ToDictionary(l => l, l => Math.Exp((logLikelihoods[l] - logLikelihoods[best]) / temperature));
        var total = weights.Values.Sum();
        var confidence = weights[best] / total;
        var scores = weights
            .Where(w => w.Key < _servedCount)
            .Select(w => new LabelScore(_table.Languages[w.Key], (float)(w.Value / total)))
            .OrderByDescending(s => s.Score)
            .ToArray();
        // Latvian beats the other Latin-script languages as German, but its n-grams are rare in German's own model.
        var fitsBest = script != Script.Latin || ngramLogLikelihoods[best] / ngrams >= _options.MinMeanNgramLogProbability;
        if (best >= _servedCount || confidence < _options.MinConfidence || !fitsBest)
        {
            return Undetermined(scores);
        }

        return new HeadPrediction(HeadName, HeadKind.SingleLabel, [_table.Languages[best]], (float)confidence, confidence < _options.ReviewBelow, scores);
    }

    /// <summary>
    /// Latin unless another script writes a third of the words: Hindi and Arabic tickets carry English product names and
    /// commands ("GBufferedInputStream काट नहीं सकता है"), Latin-script ones rarely carry another script. Words, not
    /// letters: one long product name outweighed the short Arabic words around it.
    /// </summary>
    private static Script ScriptOf(List<string> words)
    {
        var scripts = Enum.GetValues<Script>();
        Span<int> counts = stackalloc int[scripts.Length];
        foreach (var word in words)
        {
            counts[(int)Scripts.Of(word[0])]++;
        }

        var other = Script.Latin;
        foreach (var script in scripts)
        {
            if (script != Script.Latin && counts[(int)script] > (other == Script.Latin ? 0 : counts[(int)other]))
            {
                other = script;
            }
        }

        return other != Script.Latin && counts[(int)other] * 3 >= words.Count ? other : Script.Latin;
    }

    /// <summary>Lowercase runs of letters (with their combining marks: Devanagari vowel signs are part of a word).</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>
    /// <paramref name="manifest"/> as the service answers with this identifier: its language head (if any) replaced by one
    /// listing the identifier's labels, or such a head appended.
    /// </summary>
    public ModelManifest Describe(ModelManifest manifest) => _described.GetValue(manifest, DescribeOnce);

    private ModelManifest DescribeOnce(ModelManifest manifest)
    {
        var head = new HeadSpec { Name = HeadName, Kind = HeadKind.SingleLabel, Output = "", Labels = Labels };
        var heads = manifest.Heads.Where(h => !string.Equals(h.Name, HeadName, StringComparison.Ordinal)).ToList();
        var index = manifest.Heads.ToList().FindIndex(h => string.Equals(h.Name, HeadName, StringComparison.Ordinal));
        heads.Insert(index < 0 ? heads.Count : index, head);
        return manifest with { Heads = heads };
    }

    /// <summary>Confidence 0: no language is claimed; the scores still show the best guesses.</summary>
    private static HeadPrediction Undetermined(IReadOnlyList<LabelScore> scores) =>
        new(HeadName, HeadKind.SingleLabel, [LanguageCodes.Undetermined], 0, true, scores);

    /// <summary>Links, e-mail addresses, @mentions and digits say nothing about the language.</summary>
    [GeneratedRegex(@"https?://\S+|www\.\S+|\S+@\S+|@\w+|\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Noise();
}
