using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Integrations.Tests.Rules;

public sealed class ConditionParserTests
{
    private static readonly PredictionFacts Facts = new(
        new Dictionary<string, HeadResult>
        {
            ["queue"] = new(["Billing"], false, 0.83, false),
            ["priority"] = new(["High"], false, 0.55, true),
            ["language"] = new(["DE"], false, 0.97, false),
            ["sentiment"] = new(["Negative"], false, 0.71, false),
            ["tags"] = new(["refund", "vip"], true, 0.6, false),
        },
        "zammad",
        "main");

    [Theory]
    [InlineData("priority == 'High'", true)]
    [InlineData("priority == 'high'", true)]
    [InlineData("priority != 'High'", false)]
    [InlineData("queue == \"Billing\" and confidence.queue >= 0.8", true)]
    [InlineData("queue == 'Billing' && confidence.queue >= 0.9", false)]
    [InlineData("confidence.priority < 0.6 or queue == 'Sales'", true)]
    [InlineData("tags contains 'refund'", true)]
    [InlineData("tags contains 'REFUND'", true)]
    [InlineData("tags not contains 'outage'", true)]
    [InlineData("language in ['DE', 'FR']", true)]
    [InlineData("language not in ['DE', 'FR']", false)]
    [InlineData("tags in ['vip', 'gold']", true)]
    [InlineData("needsReview", true)]
    [InlineData("needsReview.priority", true)]
    [InlineData("not needsReview.queue", true)]
    [InlineData("!(needsReview.queue || needsReview.language)", true)]
    [InlineData("needsReview.queue == false", true)]
    [InlineData("sentiment == 'Negative' and (queue == 'Sales' or queue == 'Billing')", true)]
    [InlineData("helpdesk == 'zammad' and instance == 'main'", true)]
    [InlineData("type == 'Incident'", false)]
    [InlineData("type != 'Incident'", false)]
    [InlineData("confidence.type < 0.5", false)]
    [InlineData("true", true)]
    public void Conditions_evaluate_against_the_predictions(string condition, bool expected)
    {
        Assert.Equal(expected, ConditionParser.Parse(condition).Evaluate(Facts));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("priority = 'High'", "at position 10: '=' is not an operator; compare with '=='.")]
    [InlineData("priority == High", "compare with a value in quotes")]
    [InlineData("priority == 'High", "is not closed")]
    [InlineData("confidence.queue >= 'high'", "compare it with a number")]
    [InlineData("confidence.queue >= 80", "out of range")]
    [InlineData("queue > 0.5", "is not a number")]
    [InlineData("confidence >= 0.5", "'confidence' needs a head")]
    [InlineData("a.b.c == 'x'", "is not a known name")]
    [InlineData("queue", "is not true or false on its own")]
    [InlineData("needsReview.queue == 'yes'", "compare it with true or false")]
    [InlineData("language in 'DE'", "in needs a list")]
    [InlineData("queue == 'Billing' and", "expected a name")]
    [InlineData("(queue == 'Billing'", "expected ')'")]
    [InlineData("queue == 'Billing' queue == 'Sales'", "expected 'and', 'or' or the end")]
    [InlineData("queue == 'a' # x", "unexpected character '#'")]
    public void Invalid_conditions_are_rejected_with_the_position_and_a_hint(string condition, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => ConditionParser.Parse(condition));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set priority = 'Urgent'", RuleActionKind.SetPriority, "Urgent")]
    [InlineData("SET QUEUE 'Billing'", RuleActionKind.SetQueue, "Billing")]
    [InlineData("set queue to \"Billing\"", RuleActionKind.SetQueue, "Billing")]
    [InlineData("move to Billing", RuleActionKind.SetQueue, "Billing")]
    [InlineData("move to queue 'Billing and Payments'", RuleActionKind.SetQueue, "Billing and Payments")]
    [InlineData("add tag VIP_Attention", RuleActionKind.AddTag, "VIP_Attention")]
    [InlineData("add note 'It\\'s {queue}, see {confidence.queue}'", RuleActionKind.AddNote, "It's {queue}, see {confidence.queue}")]
    [InlineData("add internal note Checked by AI", RuleActionKind.AddNote, "Checked by AI")]
    [InlineData("notify Tier-2 Support", RuleActionKind.Notify, "Tier-2 Support")]
    [InlineData("notify 'tier2'", RuleActionKind.Notify, "tier2")]
    [InlineData("route to review", RuleActionKind.RouteToReview, null)]
    [InlineData("suggest reply", RuleActionKind.SuggestReply, null)]
    [InlineData("Suggest a reply", RuleActionKind.SuggestReply, null)]
    [InlineData("add summary", RuleActionKind.AddSummary, null)]
    [InlineData("ADD A SUMMARY", RuleActionKind.AddSummary, null)]
    public void Actions_parse_with_or_without_quotes(string text, RuleActionKind kind, string? value)
    {
        var action = Assert.Single(ActionParser.Parse(text));

        Assert.Equal(kind, action.Kind);
        Assert.Equal(value, action.Value);
    }

    [Fact]
    public void Add_tags_takes_a_list_of_quoted_values()
    {
        var actions = ActionParser.Parse("add tags 'VIP', \"billing-check\"");

        Assert.Equal(["VIP", "billing-check"], actions.Select(a => a.Value));
        Assert.All(actions, a => Assert.Equal(RuleActionKind.AddTag, a.Kind));
    }

    [Theory]
    [InlineData("escalate", "is not an action")]
    [InlineData("set priority = 'A', 'B'", "expected one value")]
    [InlineData("add tags 'a' 'b'", "expected ',' between values")]
    [InlineData("add tag ''", "a value is empty")]
    public void Invalid_actions_are_rejected(string text, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => ActionParser.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
