using System.Text.RegularExpressions;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.History;

/// <summary>The plain text of a help desk's HTML message, as a knowledge collection stores it.</summary>
public static partial class HistoryText
{
    /// <summary>Plain text without the earlier messages a reply quotes (<c>&lt;blockquote&gt;</c>); null when nothing is left.</summary>
    public static string? Reply(string html)
    {
        var text = HtmlText.ToPlainText(Quote().Replace(html, " "));
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"<blockquote\b[^>]*>.*</blockquote\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Quote();
}
