using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.Tests.Rules;

/// <summary>The issue's example rules, written as configuration, against fixed predictions.</summary>
public sealed class RuleEngineTests
{
    public static RulesOptions IssueExamples() => new()
    {
        Rules =
        [
            new RuleOptions { Name = "escalate-high", When = "priority == 'High'", Then = ["set priority = 'Urgent'", "notify Tier-2 Support"] },
            new RuleOptions { Name = "billing-queue", When = "queue == 'Billing'", Then = ["move to 'Billing'"] },
            new RuleOptions { Name = "vip-attention", When = "sentiment == 'Negative'", Then = ["add tag VIP_Attention"] },
        ],
    };

    private static readonly string[] Targets = ["Tier-2 Support"];

    [Fact]
    public void The_issue_examples_fire_on_the_predictions_they_name()
    {
        var engine = Engine(IssueExamples());

        var evaluation = engine.Evaluate(Facts(queue: ("Billing", 0.9), priority: ("High", 0.8), sentiment: ("Negative", 0.7)));

        Assert.Equal(["escalate-high", "billing-queue", "vip-attention"], evaluation.Rules.Where(r => r.Fired).Select(r => r.Name));
        Assert.Equal(
            [
                new FiredAction("escalate-high", RuleActionKind.SetPriority, "Urgent"),
                new FiredAction("escalate-high", RuleActionKind.Notify, "Tier-2 Support"),
                new FiredAction("billing-queue", RuleActionKind.SetQueue, "Billing"),
                new FiredAction("vip-attention", RuleActionKind.AddTag, "VIP_Attention"),
            ],
            evaluation.Actions);
        Assert.False(evaluation.Review.Required);
        Assert.Empty(evaluation.Warnings);
    }

    [Fact]
    public void Rules_that_do_not_match_do_not_fire()
    {
        var evaluation = Engine(IssueExamples()).Evaluate(Facts(queue: ("Sales", 0.9), priority: ("Low", 0.8), sentiment: ("Positive", 0.7)));

        Assert.All(evaluation.Rules, r => Assert.False(r.Fired));
        Assert.Empty(evaluation.Actions);
    }

    [Fact]
    public void A_rule_with_stop_ends_evaluation()
    {
        var options = IssueExamples();
        options.Rules[0].Stop = true;

        var evaluation = Engine(options).Evaluate(Facts(queue: ("Billing", 0.9), priority: ("High", 0.8), sentiment: ("Negative", 0.7)));

        Assert.Equal([true, false, false], evaluation.Rules.Select(r => r.Evaluated));
        Assert.Equal(["escalate-high"], evaluation.Actions.Select(a => a.Rule).Distinct());
    }

    [Fact]
    public void Notes_fill_in_placeholders_from_the_predictions()
    {
        var options = new RulesOptions
        {
            Rules = [new RuleOptions { Name = "explain", When = "true", Then = ["add note '{rule}: {queue} ({confidence.queue}), tags {tags}, model {model}, {unknown}'"] }],
        };

        var evaluation = Engine(options).Evaluate(Facts(queue: ("Billing", 0.834), tags: ["refund", "vip"]), "default");

        Assert.Equal("explain: Billing (0.83), tags refund, vip, model default, {unknown}", Assert.Single(evaluation.Actions).Value);
    }

    [Fact]
    public void A_head_below_its_review_threshold_routes_the_ticket_to_review()
    {
        var options = IssueExamples();
        options.Review = new ReviewOptions { Queue = "Needs Review", Thresholds = new() { ["queue"] = 0.7, ["priority"] = 0.5 }, Note = "Unsure about {review.heads}." };

        var evaluation = Engine(options).Evaluate(Facts(queue: ("Billing", 0.55), priority: ("High", 0.8), sentiment: ("Neutral", 0.9)));

        Assert.True(evaluation.Review.Required);
        Assert.Equal("Needs Review", evaluation.Review.Queue);
        Assert.Equal([new ReviewHead("queue", 0.55, 0.7)], evaluation.Review.Heads);
        Assert.Equal(new FiredAction("review", RuleActionKind.RouteToReview, "queue 0.55 < 0.70"), evaluation.Actions[0]);
        Assert.Equal(new FiredAction("review", RuleActionKind.AddNote, "Unsure about queue."), evaluation.Actions[1]);
    }

    [Fact]
    public void A_rule_can_route_to_review_on_its_own_condition()
    {
        var options = new RulesOptions
        {
            Review = new ReviewOptions { Queue = "Needs Review" },
            Rules = [new RuleOptions { Name = "unsure-billing", When = "queue == 'Billing' and confidence.queue < 0.8", Then = ["route to review"] }],
        };

        Assert.True(Engine(options).Evaluate(Facts(queue: ("Billing", 0.6))).Review.Required);
        Assert.False(Engine(options).Evaluate(Facts(queue: ("Billing", 0.9))).Review.Required);
    }

    [Fact]
    public void Rules_reading_a_head_the_model_lacks_never_fire_and_say_so()
    {
        var options = new RulesOptions { Rules = [new RuleOptions { Name = "by-type", When = "type != 'Incident'", Then = ["add tag x"] }] };

        var evaluation = Engine(options).Evaluate(Facts(queue: ("Billing", 0.9)));

        Assert.False(Assert.Single(evaluation.Rules).Fired);
        Assert.Contains("Rule 'by-type' reads 'type', but the model has no head 'type'", Assert.Single(evaluation.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Unmapped_labels_are_skipped_and_never_written()
    {
        var instance = new ZammadInstanceOptions
        {
            Name = "main",
            Heads = ["queue", "priority", "tags"],
            Mappings = new HelpDeskMappings
            {
                Queues = new(StringComparer.OrdinalIgnoreCase) { ["Billing"] = "Billing" },
                Priorities = new(StringComparer.OrdinalIgnoreCase) { ["High"] = "3 high" },
                Tags = new(StringComparer.OrdinalIgnoreCase) { ["refund"] = "Refund" },
            },
        };
        var facts = Facts(queue: ("Technical Support", 0.9), priority: ("High", 0.8), sentiment: ("Negative", 0.7), tags: ["refund", "outage"]);
        var evaluation = Engine(IssueExamples()).Evaluate(facts);

        var plan = ChangePlanner.Plan(instance, Ticket(), facts, evaluation);

        Assert.Null(plan.Changes.Queue);
        Assert.Null(plan.Changes.Priority);
        Assert.Equal(["Refund", "VIP_Attention"], plan.Changes.Tags);
        Assert.Equal(
            [
                new SkippedValue("tag", "outage", "no mapping in Mappings:Tags"),
                new SkippedValue("queue", "Technical Support", "no mapping in Mappings:Queues"),
                new SkippedValue("priority", "Urgent", "no mapping in Mappings:Priorities"),
            ],
            plan.Skipped);
        Assert.Equal(["Tier-2 Support"], plan.Notifications);
    }

    [Fact]
    public void Values_the_ticket_already_has_are_not_written_again()
    {
        var instance = new ZammadInstanceOptions
        {
            Name = "main",
            Heads = ["queue", "priority"],
            Mappings = new HelpDeskMappings
            {
                Queues = new(StringComparer.OrdinalIgnoreCase) { ["Billing"] = "Billing" },
                Priorities = new(StringComparer.OrdinalIgnoreCase) { ["High"] = "3 high" },
            },
        };
        var facts = Facts(queue: ("Billing", 0.9), priority: ("High", 0.8), sentiment: ("Negative", 0.7));
        var ticket = Ticket() with { CurrentQueue = "billing", CurrentPriority = "2 normal", ExistingTags = ["vip_attention"] };

        var plan = ChangePlanner.Plan(instance, ticket, facts, Engine(new RulesOptions { Rules = [IssueExamples().Rules[2]] }).Evaluate(facts));

        Assert.Null(plan.Changes.Queue);
        Assert.Equal("3 high", plan.Changes.Priority);
        Assert.Empty(plan.Changes.Tags);
    }

    [Fact]
    public void Review_routing_overrides_queue_rules_and_drops_the_unsure_prediction()
    {
        var options = IssueExamples();
        options.Review = new ReviewOptions { Queue = "Needs Review", Thresholds = new() { ["queue"] = 0.8 } };
        var instance = new ZammadInstanceOptions
        {
            Name = "main",
            Heads = ["queue", "priority"],
            Mappings = new HelpDeskMappings
            {
                Queues = new(StringComparer.OrdinalIgnoreCase) { ["Billing"] = "Billing", ["Needs Review"] = "Triage" },
                Priorities = new(StringComparer.OrdinalIgnoreCase) { ["Low"] = "1 low" },
            },
        };
        var facts = Facts(queue: ("Billing", 0.4), priority: ("Low", 0.9), sentiment: ("Neutral", 0.9));

        var plan = ChangePlanner.Plan(instance, Ticket(), facts, Engine(options).Evaluate(facts));

        Assert.Equal("Triage", plan.Changes.Queue);
        Assert.Equal("1 low", plan.Changes.Priority);
    }

    private static RuleEngine Engine(RulesOptions options)
    {
        var rules = RuleSet.Compile(options, Targets, out var errors);
        Assert.Empty(errors);
        return new RuleEngine(rules);
    }

    private static TicketEvent Ticket() => new("zammad", "main", "d-1", "webhook", "81", "10081", "subject", "body", null, null, []);

    private static PredictionFacts Facts((string Label, double Confidence)? queue = null, (string Label, double Confidence)? priority = null, (string Label, double Confidence)? sentiment = null, string[]? tags = null)
    {
        var heads = new Dictionary<string, HeadResult>();
        foreach (var (name, value) in new[] { ("queue", queue), ("priority", priority), ("sentiment", sentiment) })
        {
            if (value is { } v)
            {
                heads[name] = new HeadResult([v.Label], false, v.Confidence, v.Confidence < 0.5);
            }
        }

        if (tags is not null)
        {
            heads["tags"] = new HeadResult(tags, true, 0.6, false);
        }

        return new PredictionFacts(heads);
    }
}
