using System.Globalization;

namespace OpenTicketAI.Integrations.Rules;

/// <summary>Which rules fired for one ticket and what they ask for, in order.</summary>
/// <param name="Rules">Every enabled rule, fired or not, in evaluation order (rules after a stopping rule are not evaluated).</param>
/// <param name="Actions">The fired actions, in order; the review policy's actions come first.</param>
/// <param name="Review">Whether the ticket goes to the review queue, and which heads are unsure.</param>
/// <param name="Warnings">Facts the rules read that this model does not have (those comparisons are false).</param>
public sealed record RuleEvaluation(
    IReadOnlyList<RuleOutcome> Rules,
    IReadOnlyList<FiredAction> Actions,
    ReviewOutcome Review,
    IReadOnlyList<string> Warnings);

/// <param name="Evaluated">False when an earlier rule with <c>Stop</c> fired.</param>
public sealed record RuleOutcome(string Name, string When, bool Evaluated, bool Fired, IReadOnlyList<FiredAction> Actions);

/// <param name="Required">True when a head is below its threshold or a rule said <c>route to review</c>.</param>
/// <param name="Heads">Heads whose confidence is below the review threshold.</param>
public sealed record ReviewOutcome(bool Required, IReadOnlyList<ReviewHead> Heads, string? Queue);

public sealed record ReviewHead(string Head, double Confidence, double Threshold);

/// <summary>Evaluates the compiled rules and the review policy against one ticket's predictions. Thread-safe.</summary>
public sealed class RuleEngine(RuleSet rules)
{
    public const string ReviewRuleName = "review";

    public RuleSet RuleSet { get; } = rules;

    public RuleEvaluation Evaluate(PredictionFacts facts, string? model = null)
    {
        var warnings = new List<string>();
        var actions = new List<FiredAction>();

        var unsure = new List<ReviewHead>();
        foreach (var (head, threshold) in RuleSet.Review.Thresholds)
        {
            if (facts.Head(head) is not { } result)
            {
                warnings.Add($"Review:Thresholds:{head}: the model has no head '{head}'.");
                continue;
            }

            if (result.Confidence < threshold)
            {
                unsure.Add(new ReviewHead(head, result.Confidence, threshold));
            }
        }

        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = model ?? string.Empty,
            ["review.heads"] = string.Join(", ", unsure.Select(u => u.Head)),
        };
        if (unsure.Count > 0 && RuleSet.Review.Queue is { } reviewQueue)
        {
            var reason = string.Join(", ", unsure.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Head} {u.Confidence:0.00} < {u.Threshold:0.00}")));
            actions.Add(new FiredAction(ReviewRuleName, RuleActionKind.RouteToReview, reason));
            if (RuleSet.Review.Note is { } note)
            {
                extra["rule"] = ReviewRuleName;
                actions.Add(new FiredAction(ReviewRuleName, RuleActionKind.AddNote, RuleSet.Render(note, facts, extra)));
            }
        }

        var outcomes = new List<RuleOutcome>(RuleSet.Rules.Count);
        var stopped = false;
        foreach (var rule in RuleSet.Rules)
        {
            foreach (var fact in rule.Condition.Facts())
            {
                if (fact.Head is { } head && !facts.HasHead(head))
                {
                    warnings.Add($"Rule '{rule.Name}' reads '{fact.Text}', but the model has no head '{head}'; that comparison is false.");
                }
            }

            if (stopped)
            {
                outcomes.Add(new RuleOutcome(rule.Name, rule.When, false, false, []));
                continue;
            }

            if (!rule.Condition.Evaluate(facts))
            {
                outcomes.Add(new RuleOutcome(rule.Name, rule.When, true, false, []));
                continue;
            }

            extra["rule"] = rule.Name;
            var fired = rule.Actions
                .Select(a => new FiredAction(rule.Name, a.Kind, a.Kind == RuleActionKind.AddNote ? RuleSet.Render(a.Value!, facts, extra) : a.Value))
                .ToList();
            actions.AddRange(fired);
            outcomes.Add(new RuleOutcome(rule.Name, rule.When, true, true, fired));
            stopped = rule.Stop;
        }

        var required = actions.Any(a => a.Kind == RuleActionKind.RouteToReview) && RuleSet.Review.Queue is not null;
        return new RuleEvaluation(outcomes, actions, new ReviewOutcome(required, unsure, RuleSet.Review.Queue), warnings.Distinct().ToList());
    }
}
