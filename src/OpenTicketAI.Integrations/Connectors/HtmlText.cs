using System.Net;
using System.Text.RegularExpressions;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>Plain text from the HTML bodies help desks send (Zammad <c>text/html</c> articles, FreeScout threads).</summary>
public static partial class HtmlText
{
    public static string ToPlainText(string html)
    {
        var text = ScriptOrStyle().Replace(html, " ");
        text = LineBreak().Replace(text, "\n");
        text = InlineTag().Replace(text, string.Empty);
        text = Tag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        text = Spaces().Replace(text, " ");
        text = BlankLines().Replace(text, "\n");
        return text.Trim();
    }

    /// <summary>
    /// A plain-text note as HTML, with its once-only marker in an HTML comment that agents do not see (see
    /// <see cref="WriteBackCheck"/>). A help desk that drops comments loses only the check, not the note.
    /// </summary>
    public static string WithMarker(string note, string marker) =>
        WebUtility.HtmlEncode(note).Replace("\n", "<br>", StringComparison.Ordinal) + $"<!-- {marker} -->";

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    /// <summary>Tags that do not break words (a link's text runs on into the full stop after it), as a browser renders them.</summary>
    [GeneratedRegex(@"<\s*/?\s*(a|abbr|b|bdi|bdo|cite|code|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\f\v\u00a0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex BlankLines();
}
