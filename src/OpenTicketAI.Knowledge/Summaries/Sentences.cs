using System.Text.RegularExpressions;

namespace OpenTicketAI.Knowledge.Summaries;

/// <summary>Splits ticket text into sentences: at . ! ? followed by white space and at line breaks; greetings-only lines are kept as sentences.</summary>
public static partial class Sentences
{
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Replace("\\n", "\n", StringComparison.Ordinal);
        return Boundary().Split(normalized)
            .Select(s => Spaces().Replace(s, " ").Trim())
            .Where(s => s.Any(char.IsLetterOrDigit))
            .ToList();
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{N}""'(])|\n+")]
    private static partial Regex Boundary();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
