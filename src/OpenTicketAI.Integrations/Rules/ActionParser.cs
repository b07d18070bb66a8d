using System.Text.RegularExpressions;

namespace OpenTicketAI.Integrations.Rules;

/// <summary>
/// Parses one action: <c>set queue = 'X'</c>, <c>move to 'X'</c>, <c>set priority = 'X'</c>, <c>add tag 'X'</c>
/// (<c>add tags 'X', 'Y'</c>), <c>add note 'text'</c>, <c>notify 'target'</c>, <c>route to review</c>, <c>suggest reply</c>,
/// <c>add summary</c>. Keywords are
/// case-insensitive; a value may be quoted or, when it is the rest of the action, bare (<c>add tag VIP_Attention</c>).
/// </summary>
public static partial class ActionParser
{
    public static IReadOnlyList<RuleActionTemplate> Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new RuleSyntaxException("the action is empty.", 0);
        }

        if (SetPattern().Match(trimmed) is { Success: true } set)
        {
            var kind = string.Equals(set.Groups["field"].Value, "queue", StringComparison.OrdinalIgnoreCase) ? RuleActionKind.SetQueue : RuleActionKind.SetPriority;
            return [new(kind, Single(set.Groups["value"]), trimmed)];
        }

        if (MovePattern().Match(trimmed) is { Success: true } move)
        {
            return [new(RuleActionKind.SetQueue, Single(move.Groups["value"]), trimmed)];
        }

        if (TagPattern().Match(trimmed) is { Success: true } tag)
        {
            return Values(tag.Groups["value"]).Select(v => new RuleActionTemplate(RuleActionKind.AddTag, v, trimmed)).ToList();
        }

        if (NotePattern().Match(trimmed) is { Success: true } note)
        {
            return [new(RuleActionKind.AddNote, Single(note.Groups["value"]), trimmed)];
        }

        if (NotifyPattern().Match(trimmed) is { Success: true } notify)
        {
            return [new(RuleActionKind.Notify, Single(notify.Groups["value"]), trimmed)];
        }

        if (ReviewPattern().IsMatch(trimmed))
        {
            return [new(RuleActionKind.RouteToReview, null, trimmed)];
        }

        if (SuggestReplyPattern().IsMatch(trimmed))
        {
            return [new(RuleActionKind.SuggestReply, null, trimmed)];
        }

        if (SummaryPattern().IsMatch(trimmed))
        {
            return [new(RuleActionKind.AddSummary, null, trimmed)];
        }

        throw new RuleSyntaxException(
            $"'{trimmed}' is not an action. Use: set queue = 'X', move to 'X', set priority = 'X', add tag 'X', add note 'text', notify 'target', route to review, suggest reply or add summary.",
            0);
    }

    private static string Single(Group group)
    {
        var values = Values(group);
        return values.Count == 1
            ? values[0]
            : throw new RuleSyntaxException($"expected one value, found {values.Count}.", group.Index);
    }

    /// <summary>Quoted values separated by commas, or one bare value (the rest of the action).</summary>
    private static List<string> Values(Group group)
    {
        var text = group.Value.Trim();
        if (text.Length == 0)
        {
            throw new RuleSyntaxException("the action needs a value.", group.Index);
        }

        if (text[0] is not ('\'' or '"'))
        {
            return [text];
        }

        var values = new List<string>();
        var i = 0;
        while (true)
        {
            var value = ConditionParser.ReadString(text, ref i);
            if (value.Trim().Length == 0)
            {
                throw new RuleSyntaxException("a value is empty.", group.Index + i);
            }

            values.Add(value);
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return values;
            }

            if (text[i] != ',')
            {
                throw new RuleSyntaxException($"expected ',' between values, found '{text[i]}'.", group.Index + i);
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length || text[i] is not ('\'' or '"'))
            {
                throw new RuleSyntaxException("expected a quoted value after ','.", group.Index + i);
            }
        }
    }

    [GeneratedRegex(@"^set\s+(?<field>queue|priority)\s*(=|\bto\b)?\s*(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^move\s+to\s+(queue\s+)?(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex MovePattern();

    [GeneratedRegex(@"^add\s+tags?\s+(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^add\s+(internal\s+)?note\s+(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NotePattern();

    [GeneratedRegex(@"^notify\s+(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NotifyPattern();

    [GeneratedRegex(@"^route\s+to\s+review$", RegexOptions.IgnoreCase)]
    private static partial Regex ReviewPattern();

    [GeneratedRegex(@"^suggest\s+(a\s+)?reply$", RegexOptions.IgnoreCase)]
    private static partial Regex SuggestReplyPattern();

    [GeneratedRegex(@"^add\s+(a\s+)?summary$", RegexOptions.IgnoreCase)]
    private static partial Regex SummaryPattern();
}
