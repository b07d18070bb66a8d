using System.Text;
using System.Text.RegularExpressions;

namespace OpenTicketAI.Knowledge.Summaries;

/// <summary>
/// Splits ticket text into sentences: at . ! ? followed by white space and at line breaks; greetings-only lines are kept
/// as sentences. Lines a mail client or help desk wrapped (plain-text e-mail at 72–76 characters, osTicket's html2text at
/// 74) are joined first, so a sentence is not cut where its line happened to end.
/// </summary>
public static partial class Sentences
{
    /// <summary>A line at least this long that does not end a sentence was wrapped, not ended.</summary>
    public const int WrappedLineLength = 50;

    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Unwrap(text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal));
        return Boundary().Split(normalized)
            .Select(s => Spaces().Replace(s, " ").Trim())
            .Where(s => s.Any(char.IsLetterOrDigit))
            .ToList();
    }

    /// <summary>
    /// Joins a line to the next when it does not end a sentence (. ! ? : ;) and either is as long as wrapped lines are or
    /// the next goes on in lowercase ("We\nhave to log in") — but not after a short line ending in a comma ("Hello,"),
    /// and never across a blank line or into a line that does not start with a letter or digit (a list, a quote).
    /// </summary>
    private static string Unwrap(string text)
    {
        var lines = text.Split('\n');
        var joined = new StringBuilder(text.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            joined.Append(lines[i]);
            if (i + 1 < lines.Length)
            {
                joined.Append(IsWrapped(lines[i].TrimEnd(), lines[i + 1].TrimStart()) ? ' ' : '\n');
            }
        }

        return joined.ToString();
    }

    private static bool IsWrapped(string line, string next)
    {
        if (line.Length == 0 || next.Length == 0 || !char.IsLetterOrDigit(next[0]) || ".!?:;".Contains(line[^1], StringComparison.Ordinal))
        {
            return false;
        }

        return line.Length >= WrappedLineLength || (char.IsLower(next[0]) && line[^1] != ',');
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{N}""'(])|\n+")]
    private static partial Regex Boundary();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
