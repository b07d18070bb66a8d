using System.Text.RegularExpressions;

namespace OpenTicketAI.Knowledge.Summaries;

/// <summary>Facts an agent looks for first, found by pattern: order and invoice numbers, dates, versions, error codes.</summary>
public sealed partial record KeyFacts(
    IReadOnlyList<string> OrderNumbers,
    IReadOnlyList<string> InvoiceNumbers,
    IReadOnlyList<string> Dates,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string> ErrorCodes)
{
    public static KeyFacts Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dates = Matches(Date(), text, 0);
        return new KeyFacts(
            Matches(Order(), text, 1),
            Matches(Invoice(), text, 1),
            dates,
            Matches(Version(), text, 1).Where(v => !dates.Any(d => d.Contains(v, StringComparison.Ordinal))).ToArray(),
            Matches(ErrorCode(), text, 0));
    }

    private static string[] Matches(Regex pattern, string text, int group) =>
        pattern.Matches(text).Select(m => (group == 0 ? m.Value : m.Groups.Values.Skip(group).FirstOrDefault(g => g.Success)?.Value ?? string.Empty).Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(20).ToArray();

    [GeneratedRegex(@"\b(?:order|bestellung|auftrag|commande|pedido|ordine)(?:\s*(?:no\.?|nr\.?|number|nummer|num[eé]ro|n[º°o]\.?|id))?(?:\s+(?:is|ist|est|es|è))?\s*[:#]?\s*#?((?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,})", RegexOptions.IgnoreCase)]
    private static partial Regex Order();

    [GeneratedRegex(@"\b(?:invoice|rechnung|facture|factura|fattura)(?:\s*(?:no\.?|nr\.?|number|nummer|num[eé]ro|n[º°o]\.?|id))?(?:\s+(?:is|ist|est|es|è))?\s*[:#]?\s*#?((?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-/]{3,})", RegexOptions.IgnoreCase)]
    private static partial Regex Invoice();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\.?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)[a-z]*\.?\s+\d{4}\b")]
    private static partial Regex Date();

    [GeneratedRegex(@"(?:\bversion\s*|\bv)(\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.]+)?)\b|\b(\d+\.\d+\.\d+(?:\.\d+)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Version();

    [GeneratedRegex(@"\b(?:E|ERR|ERROR|ERR_)[-_ ]?\d{2,6}\b|\b0x[0-9A-Fa-f]{4,8}\b|\b(?:HTTP|status)\s?[45]\d{2}\b|\b[A-Z][A-Z_]{3,}_(?:ERROR|FAILED|DENIED|TIMEOUT|EXCEPTION)\b|\b\w+(?:Exception|Error)\b")]
    private static partial Regex ErrorCode();
}
