using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenTicketAI.Integrations.Rules;

/// <summary>One compiled rule.</summary>
public sealed record CompiledRule(string Name, string When, Condition Condition, IReadOnlyList<RuleActionTemplate> Actions, bool Stop);

/// <summary>Rules and review policy, parsed and checked. <see cref="Compile"/> reports every problem with its configuration key.</summary>
public sealed partial class RuleSet
{
    private RuleSet(IReadOnlyList<CompiledRule> rules, ReviewOptions review)
    {
        Rules = rules;
        Review = review;
    }

    public IReadOnlyList<CompiledRule> Rules { get; }

    public ReviewOptions Review { get; }

    public static RuleSet Empty { get; } = new([], new ReviewOptions());

    /// <summary>Parses every enabled rule; <paramref name="errors"/> lists each problem, naming the key (e.g. <c>Integrations:Rules:2:When</c>).</summary>
    public static RuleSet Compile(RulesOptions options, IReadOnlyCollection<string> notificationTargets, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var rules = new List<CompiledRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"{options.Source}:Rules:{i.ToString(CultureInfo.InvariantCulture)}";
            var label = string.IsNullOrWhiteSpace(rule.Name) ? key : $"{key} ('{rule.Name}')";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                problems.Add($"{key}:Name is required: give every rule a unique name.");
            }
            else if (!names.Add(rule.Name))
            {
                problems.Add($"{key}:Name '{rule.Name}' is used by an earlier rule; rule names must be unique.");
            }

            Condition? condition = null;
            try
            {
                condition = ConditionParser.Parse(rule.When);
            }
            catch (RuleSyntaxException ex)
            {
                problems.Add($"{label}: When \"{rule.When}\": {ex.Message}");
            }

            var actions = new List<RuleActionTemplate>();
            if (rule.Then.Count == 0)
            {
                problems.Add($"{label}: Then is empty; a rule needs at least one action.");
            }

            for (var a = 0; a < rule.Then.Count; a++)
            {
                try
                {
                    foreach (var action in ActionParser.Parse(rule.Then[a]))
                    {
                        CheckAction(action, notificationTargets);
                        actions.Add(action);
                    }
                }
                catch (RuleSyntaxException ex)
                {
                    problems.Add($"{label}: Then:{a.ToString(CultureInfo.InvariantCulture)} \"{rule.Then[a]}\": {ex.Message}");
                }
            }

            if (rule.Enabled && condition is not null)
            {
                rules.Add(new CompiledRule(rule.Name, rule.When, condition, actions, rule.Stop));
            }
        }

        var review = new ReviewOptions
        {
            Queue = string.IsNullOrWhiteSpace(options.Review.Queue) ? null : options.Review.Queue.Trim(),
            Note = string.IsNullOrWhiteSpace(options.Review.Note) ? null : options.Review.Note,
            Thresholds = new Dictionary<string, double>(options.Review.Thresholds, StringComparer.OrdinalIgnoreCase),
        };
        foreach (var (head, threshold) in review.Thresholds)
        {
            if (threshold is < 0 or > 1 || double.IsNaN(threshold))
            {
                problems.Add($"{options.Source}:Review:Thresholds:{head} must be between 0 and 1; got {threshold.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (review.Thresholds.Count > 0 && review.Queue is null)
        {
            problems.Add($"{options.Source}:Review:Queue is required when Review:Thresholds are set: the queue label unsure tickets go to.");
        }

        if (rules.Any(r => r.Actions.Any(a => a.Kind == RuleActionKind.RouteToReview)) && review.Queue is null)
        {
            problems.Add($"{options.Source}:Review:Queue is required: a rule routes to review.");
        }

        if (review.Note is not null)
        {
            try
            {
                CheckPlaceholders(review.Note);
            }
            catch (RuleSyntaxException ex)
            {
                problems.Add($"{options.Source}:Review:Note: {ex.Message}");
            }
        }

        errors = problems;
        return new RuleSet(rules, review);
    }

    /// <summary>Fills <c>{fact}</c> placeholders (<c>{queue}</c>, <c>{confidence.queue}</c>, <c>{rule}</c>, <c>{review.heads}</c>, <c>{model}</c>).</summary>
    public static string Render(string template, PredictionFacts facts, IReadOnlyDictionary<string, string> extra) =>
        Placeholder().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (extra.TryGetValue(name, out var value))
            {
                return value;
            }

            return FactPath.TryParse(name, out var path, out _) && facts.Format(path!) is { } text ? text : match.Value;
        });

    private static void CheckAction(RuleActionTemplate action, IReadOnlyCollection<string> notificationTargets)
    {
        if (action.Kind == RuleActionKind.Notify && !notificationTargets.Contains(action.Value!, StringComparer.OrdinalIgnoreCase))
        {
            var known = notificationTargets.Count == 0 ? "none are configured" : "configured: " + string.Join(", ", notificationTargets);
            throw new RuleSyntaxException($"notification target '{action.Value}' is not configured under Integrations:Notifications ({known}).");
        }

        if (action.Kind == RuleActionKind.AddNote)
        {
            CheckPlaceholders(action.Value!);
        }
    }

    private static void CheckPlaceholders(string template)
    {
        foreach (Match match in Placeholder().Matches(template))
        {
            var name = match.Groups["name"].Value;
            if (name is "rule" or "model" or "review.heads")
            {
                continue;
            }

            if (!FactPath.TryParse(name, out _, out var error))
            {
                throw new RuleSyntaxException($"placeholder {match.Value}: {error}");
            }
        }
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\}")]
    private static partial Regex Placeholder();
}
