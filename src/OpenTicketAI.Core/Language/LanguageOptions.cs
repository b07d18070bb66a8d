namespace OpenTicketAI.Core.Language;

/// <summary>
/// Which languages <see cref="LanguageIdentifier"/> answers and when it says <see cref="LanguageCodes.Undetermined"/>
/// instead (section <c>OpenTicketAI:Language</c>). Codes are ISO 639-1, any case.
/// </summary>
public sealed record LanguageOptions
{
    public const string SectionName = "OpenTicketAI:Language";

    public static IReadOnlyList<string> DefaultLanguages { get; } = ["en", "de", "es", "fr", "pt", "it", "ar", "hi"];

    // Catalan since function words count: it shares "de", "la", "el", "que" with Spanish and otherwise came back Spanish.
    // Czech and Hungarian: a third of their sentences came back Spanish or Portuguese without review (docs/benchmarks.md).
    public static IReadOnlyList<string> DefaultUnserved { get; } = ["nl", "tr", "pl", "sv", "ro", "id", "ca", "cs", "hu"];

    /// <summary>The languages a prediction may name (null: <see cref="DefaultLanguages"/>); each costs memory and time.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>
    /// Languages that are detected but never answered (null: <see cref="DefaultUnserved"/>): their text comes back
    /// <c>und</c> instead of as the nearest served language (Turkish is not Spanish).
    /// </summary>
    public IReadOnlyList<string>? Unserved { get; init; }

    /// <summary>The served codes, lowercase, without repeats.</summary>
    public IReadOnlyList<string> Served => Distinct(Languages ?? DefaultLanguages);

    /// <summary>The unserved codes, lowercase, without repeats or served ones.</summary>
    public IReadOnlyList<string> Decoys => Distinct(Unserved ?? DefaultUnserved).Except(Served, StringComparer.Ordinal).ToArray();

    /// <summary>Below this confidence the answer is <c>und</c> with <c>needsReview</c>.</summary>
    public double MinConfidence { get; init; } = 0.5;

    /// <summary>Below this confidence the language is answered with <c>needsReview</c>.</summary>
    public double ReviewBelow { get; init; } = 0.9;

    /// <summary>
    /// Divides the summed n-gram log-likelihoods before they are normalised: undivided, a few words already give
    /// near-certain values. Fitted on UMSAB and ticket texts (docs/benchmarks.md).
    /// </summary>
    public double Temperature { get; init; } = 6.0;

    /// <summary>
    /// Texts with fewer letters (a subject, a two-word phrase) are tempered with <see cref="ShortTextTemperature"/>
    /// instead: their sums are small, and with the one temperature they came out less sure than they were right.
    /// 0 uses <see cref="Temperature"/> for every text.
    /// </summary>
    public int ShortTextLetters { get; init; } = 20;

    /// <summary>The temperature of texts shorter than <see cref="ShortTextLetters"/> letters (docs/benchmarks.md).</summary>
    public double ShortTextTemperature { get; init; } = 5.0;

    /// <summary>
    /// Added to a language's summed n-gram log-likelihood for each word of the text on its function-word list ("com",
    /// "você" for Portuguese); 0 turns the evidence off. It applies only when every candidate language of the text's
    /// script has a list. Chosen on a tuning half of the benchmark rows (docs/benchmarks.md).
    /// </summary>
    public double FunctionWordWeight { get; init; } = 16;

    /// <summary>
    /// A Latin-script text whose mean log-probability per character n-gram in the best language's own model is lower is
    /// <c>und</c>: it is nearer that language than the others, but not that language (Latvian, Finnish, Lithuanian came
    /// back German or English). Other scripts hold one or two languages each and are decided by the script. Chosen on a
    /// tuning half of the benchmark rows (docs/benchmarks.md); served texts sit at about -2.3.
    /// </summary>
    public double MinMeanNgramLogProbability { get; init; } = -3.6;

    /// <summary>Texts with fewer letters (after links, addresses and numbers are removed) are <c>und</c>.</summary>
    public int MinLetters { get; init; } = 3;

    /// <summary>The directory of Lingua's n-gram models (null: <c>Lingua/LanguageModels</c> beside the application).</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Problems with these options, each naming the key; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Served.Count == 0)
        {
            errors.Add($"{SectionName}:Languages must name at least one language.");
        }

        foreach (var (key, codes) in new[] { ("Languages", Served), ("Unserved", Distinct(Unserved ?? DefaultUnserved)) })
        {
            foreach (var code in codes)
            {
                if (!LanguageCodes.IsKnown(code))
                {
                    errors.Add($"{SectionName}:{key} has '{code}', which is not an ISO 639-1 code the identifier knows ({string.Join(", ", LanguageCodes.Known)}).");
                }
            }
        }

        if (Served.Count + Decoys.Count < 2)
        {
            errors.Add($"{SectionName}: the identifier needs at least two languages (served or unserved) to choose between.");
        }

        if (MinConfidence is < 0 or > 1 || double.IsNaN(MinConfidence))
        {
            errors.Add($"{SectionName}:MinConfidence must be between 0 and 1.");
        }

        if (ReviewBelow is < 0 or > 1 || double.IsNaN(ReviewBelow))
        {
            errors.Add($"{SectionName}:ReviewBelow must be between 0 and 1.");
        }

        if (!(Temperature > 0) || double.IsInfinity(Temperature))
        {
            errors.Add($"{SectionName}:Temperature must be a positive number.");
        }

        if (!(ShortTextTemperature > 0) || double.IsInfinity(ShortTextTemperature))
        {
            errors.Add($"{SectionName}:ShortTextTemperature must be a positive number.");
        }

        if (ShortTextLetters < 0)
        {
            errors.Add($"{SectionName}:ShortTextLetters must not be negative.");
        }

        if (!(FunctionWordWeight >= 0) || double.IsInfinity(FunctionWordWeight))
        {
            errors.Add($"{SectionName}:FunctionWordWeight must be zero or a positive number.");
        }

        if (!(MinMeanNgramLogProbability <= 0))
        {
            errors.Add($"{SectionName}:MinMeanNgramLogProbability must be zero or a negative number (a log-probability).");
        }

        if (MinLetters < 0)
        {
            errors.Add($"{SectionName}:MinLetters must not be negative.");
        }

        return errors;
    }

    private static string[] Distinct(IEnumerable<string> codes) =>
        codes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(LanguageCodes.Normalize).Distinct(StringComparer.Ordinal).ToArray();
}
