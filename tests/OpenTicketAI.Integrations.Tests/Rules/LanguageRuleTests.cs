using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Integrations.Tests.Rules;

/// <summary>Rules written for the old uppercase codes keep working on the identifier's lowercase ones.</summary>
public sealed class LanguageRuleTests
{
    private static readonly LanguageIdentifier Identifier = new(new LanguageOptions());

    [Theory]
    [InlineData("language == 'en'")]
    [InlineData("language == 'EN'")]
    [InlineData("language in ['EN', 'DE']")]
    [InlineData("language not in ['es', 'PT']")]
    public void Rules_on_language_match_an_English_ticket_in_either_case(string when)
    {
        var engine = Engine(new RuleOptions { Name = "english", When = when, Then = ["move to 'English'"] });

        var evaluation = engine.Evaluate(Facts("Printer offline again", "The office printer has been offline since this morning, please help."));

        Assert.True(evaluation.Rules.Single().Fired);
    }

    [Fact]
    public void A_rule_on_und_routes_a_ticket_in_an_unknown_language()
    {
        var engine = Engine(
            new RuleOptions { Name = "english", When = "language == 'en'", Then = ["move to 'English'"] },
            new RuleOptions { Name = "unknown", When = "language == 'und' or needsReview.language", Then = ["move to 'Triage'"] });

        var evaluation = engine.Evaluate(Facts(null, "Merhaba, faturamda bir hata var ve ödeme sayfası açılmıyor, yardım eder misiniz?"));

        Assert.Equal(["unknown"], evaluation.Rules.Where(r => r.Fired).Select(r => r.Name));
    }

    private static RuleEngine Engine(params RuleOptions[] rules)
    {
        var compiled = RuleSet.Compile(new RulesOptions { Rules = [.. rules] }, [], out var errors);
        Assert.Empty(errors);
        return new RuleEngine(compiled);
    }

    private static PredictionFacts Facts(string? subject, string body)
    {
        var language = Identifier.Identify(new TicketText(subject, body));
        return new PredictionFacts(new Dictionary<string, HeadResult>
        {
            ["language"] = new(language.Labels, false, language.Confidence, language.NeedsReview),
        });
    }
}
