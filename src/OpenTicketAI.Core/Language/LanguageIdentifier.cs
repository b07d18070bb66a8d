using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Lingua;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Core.Language;

/// <summary>
/// Names the language of a ticket with Lingua's n-gram models, restricted to the configured languages and loaded once.
/// Answers <see cref="LanguageCodes.Undetermined"/> (with needs-review) when the text is too short, mixed, in another
/// script or in one of the unserved languages, rather than the nearest served language. Thread-safe.
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

    private readonly LanguageDetector _detector;
    private readonly HashSet<Lingua.Language> _served;
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
        _served = options.Served.Select(LanguageCodes.ToLingua).ToHashSet();
        Languages = options.Served;
        var all = _served.Concat(options.Decoys.Select(LanguageCodes.ToLingua)).ToArray();
        var builder = LanguageDetectorBuilder.FromLanguages(all).WithPreloadedLanguageModels();
        _detector = (options.LowAccuracy ? builder.WithLowAccuracyMode() : builder).Build();
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
        var cleaned = Noise().Replace(text.Length > chars ? text[..chars] : text, " ");
        if (cleaned.Count(char.IsLetter) < _options.MinLetters)
        {
            return Undetermined([]);
        }

        var values = _detector.ComputeLanguageConfidenceValues(cleaned);
        if (!values.Values.Any(v => v > 0))
        {
            return Undetermined([]);
        }

        // Softmax of log(value) / T, i.e. value^(1/T) normalised; 0 stays 0.
        var tempered = values.ToDictionary(v => v.Key, v => Math.Pow(v.Value, 1 / _options.Temperature));
        var total = tempered.Values.Sum();
        var (best, confidence) = tempered.MaxBy(v => v.Value) is var top ? (top.Key, top.Value / total) : default;
        var scores = tempered
            .Where(v => _served.Contains(v.Key))
            .Select(v => new LabelScore(LanguageCodes.FromLingua(v.Key), (float)(v.Value / total)))
            .OrderByDescending(v => v.Score)
            .ToArray();
        if (!_served.Contains(best) || confidence < _options.MinConfidence)
        {
            return Undetermined(scores);
        }

        var code = LanguageCodes.FromLingua(best);
        return new HeadPrediction(HeadName, HeadKind.SingleLabel, [code], (float)confidence, confidence < _options.ReviewBelow, scores);
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
