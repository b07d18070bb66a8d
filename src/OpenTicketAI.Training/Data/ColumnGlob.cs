using System.Text.RegularExpressions;

namespace OpenTicketAI.Training.Data;

/// <summary>Column name patterns: <c>*</c> matches any run of characters, <c>?</c> one character; case-insensitive.</summary>
internal static class ColumnGlob
{
    public static bool IsGlob(string pattern) => pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal);

    public static bool Matches(string pattern, string name)
    {
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
