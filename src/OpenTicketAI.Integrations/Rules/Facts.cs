using System.Globalization;
using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Integrations.Rules;

public enum FactKind
{
    /// <summary><c>queue</c>: the head's label (a string), or its labels for a multi-label head (<c>tags</c>).</summary>
    Label,

    /// <summary><c>confidence.queue</c>: a number from 0 to 1.</summary>
    Confidence,

    /// <summary><c>needsReview.queue</c>: the model's own review flag.</summary>
    NeedsReview,

    /// <summary><c>needsReview</c>: true when any head is flagged.</summary>
    AnyNeedsReview,

    /// <summary><c>helpdesk</c>: <c>zammad</c>, <c>freescout</c>, or empty in a dry run.</summary>
    HelpDesk,

    /// <summary><c>instance</c>: the help-desk instance's name, or empty in a dry run.</summary>
    Instance,
}

/// <summary>A name a condition can read, e.g. <c>priority</c>, <c>confidence.queue</c>, <c>needsReview.tags</c>.</summary>
public sealed record FactPath(FactKind Kind, string? Head, string Text)
{
    public static bool TryParse(string text, out FactPath? path, out string? error)
    {
        path = null;
        error = null;
        var parts = text.Split('.');
        if (parts.Any(p => p.Length == 0))
        {
            error = $"'{text}' is not a valid name.";
            return false;
        }

        switch (parts.Length)
        {
            case 1 when Is(parts[0], "confidence"):
                error = "'confidence' needs a head, e.g. confidence.queue.";
                return false;
            case 1 when Is(parts[0], "needsReview"):
                path = new FactPath(FactKind.AnyNeedsReview, null, text);
                return true;
            case 1 when Is(parts[0], "helpdesk"):
                path = new FactPath(FactKind.HelpDesk, null, text);
                return true;
            case 1 when Is(parts[0], "instance"):
                path = new FactPath(FactKind.Instance, null, text);
                return true;
            case 1:
                path = new FactPath(FactKind.Label, parts[0], text);
                return true;
            case 2 when Is(parts[0], "confidence"):
                path = new FactPath(FactKind.Confidence, parts[1], text);
                return true;
            case 2 when Is(parts[0], "needsReview"):
                path = new FactPath(FactKind.NeedsReview, parts[1], text);
                return true;
            default:
                error = $"'{text}' is not a known name: use a head (queue), confidence.<head>, needsReview.<head>, needsReview, helpdesk or instance.";
                return false;
        }
    }

    private static bool Is(string part, string name) => string.Equals(part, name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What conditions are evaluated against: one ticket's classification and where it came from.</summary>
public sealed class PredictionFacts(IReadOnlyDictionary<string, HeadResult> heads, string? helpDesk = null, string? instance = null)
{
    private readonly Dictionary<string, HeadResult> _heads = new(heads, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, HeadResult> Heads => _heads;

    public string HelpDesk { get; } = helpDesk ?? string.Empty;

    public string Instance { get; } = instance ?? string.Empty;

    public bool HasHead(string head) => _heads.ContainsKey(head);

    public HeadResult? Head(string head) => _heads.GetValueOrDefault(head);

    /// <summary>The value of <paramref name="path"/>: a string, a list of strings, a double, a bool, or null when the model has no such head.</summary>
    public object? Resolve(FactPath path) => path.Kind switch
    {
        FactKind.Label => Head(path.Head!) is { } h ? (h.MultiLabel ? h.Labels : h.Labels.Count > 0 ? h.Labels[0] : null) : null,
        FactKind.Confidence => Head(path.Head!)?.Confidence,
        FactKind.NeedsReview => Head(path.Head!)?.NeedsReview,
        FactKind.AnyNeedsReview => _heads.Values.Any(h => h.NeedsReview),
        FactKind.HelpDesk => HelpDesk,
        FactKind.Instance => Instance,
        _ => null,
    };

    /// <summary>The value as note text: numbers with two decimals, lists comma-separated.</summary>
    public string? Format(FactPath path) => Resolve(path) switch
    {
        null => null,
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IReadOnlyList<string> list => string.Join(", ", list),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };
}
