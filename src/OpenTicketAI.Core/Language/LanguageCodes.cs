using Lingua;

namespace OpenTicketAI.Core.Language;

/// <summary>ISO 639-1 codes as the service writes them: lowercase (<c>en</c>, <c>pt</c>), <c>und</c> when undetermined.</summary>
public static class LanguageCodes
{
    /// <summary>ISO 639-2 "undetermined": too short, mixed, or a language the identifier does not serve.</summary>
    public const string Undetermined = "und";

    private static readonly Dictionary<string, Lingua.Language> ByCode = Enum.GetValues<Lingua.Language>()
        .Where(l => l != Lingua.Language.Unknown)
        .ToDictionary(l => l.IsoCode6391().ToString().ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every code the identifier can detect, sorted.</summary>
    public static IReadOnlyList<string> Known { get; } = ByCode.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code.Trim());

    /// <summary>The lowercase form of a language code (<c>EN</c> → <c>en</c>); other values are returned trimmed.</summary>
    public static string Normalize(string code) => code.Trim().ToLowerInvariant();
}
