using Microsoft.Extensions.Logging.Abstractions;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.Tests.Answers;

/// <summary>When an instance gets a suggested reply or a summary note: its opt-in, the rules, abstentions and failures.</summary>
public sealed class AnswerNotesTests
{
    public const string ReplyNote =
        "Suggested reply (Open Ticket AI draft, not sent to the customer; confidence 0.83):\n\n"
        + "Hello,\nwe refunded the duplicate charge; it shows within five business days.\n\n"
        + "Sources: past ticket T-17 \"Charged twice\" 4711 (0.83); article refunds \"Refunds\" https://help.example.com/refunds (0.71)";

    public const string SummaryNote =
        "Summary (Open Ticket AI, 2 of 6 sentences):\n"
        + "- The payment for invoice INV-2024-0042 was charged twice.\n"
        + "- Please refund the second charge.\n"
        + "Key facts: invoice INV-2024-0042";

    [Fact]
    public void The_reply_note_says_it_is_an_unsent_draft_and_names_its_sources_and_the_summary_lists_sentences_and_key_facts()
    {
        Assert.Equal(ReplyNote, AnswerNotes.ReplyNote(ScriptedAnswers.Draft));
        Assert.Equal(SummaryNote, AnswerNotes.SummaryNote(ScriptedAnswers.Digest));
    }

    [Fact]
    public void An_instance_that_did_not_opt_in_gets_no_note_even_when_a_rule_asks_and_the_answers_are_not_asked()
    {
        var answers = ScriptedAnswers.Answering();

        var plan = Plan(answers, new AnswerNotesOptions(), "suggest reply", "add summary");

        Assert.Empty(plan.Notes);
        Assert.Equal(
            [
                new SkippedValue("note", AnswerNotes.ReplyLabel, "a rule asked for it, but the instance's Answers:SuggestReply is Off"),
                new SkippedValue("note", AnswerNotes.SummaryLabel, "a rule asked for it, but the instance's Answers:Summary is Off"),
            ],
            plan.Skipped);
        Assert.Empty(answers.Asked);
    }

    [Fact]
    public void Rules_mode_writes_a_note_only_when_a_rule_fired_and_always_mode_on_every_ticket()
    {
        var answers = ScriptedAnswers.Answering();
        var rules = new AnswerNotesOptions { SuggestReply = AnswerNoteMode.Rules, Summary = AnswerNoteMode.Rules, Collection = "desk-a" };

        var withoutRule = Plan(answers, rules);
        var withRule = Plan(answers, rules, "suggest reply");
        var always = Plan(answers, new AnswerNotesOptions { Summary = AnswerNoteMode.Always });

        Assert.Equal(AnswerNotesPlan.None, withoutRule);
        Assert.Equal([ReplyNote], withRule.Notes);
        Assert.Equal([SummaryNote], always.Notes);
        Assert.Equal([("reply", "desk-a"), ("summary", null)], answers.Asked.Select(a => (a.Kind, a.Collection)));
        Assert.Equal(("subject", "body"), (answers.Asked.First().Ticket.Subject, answers.Asked.First().Ticket.Body));
    }

    [Fact]
    public void An_abstaining_suggester_or_a_message_too_short_to_summarise_writes_nothing_and_says_why()
    {
        var everything = new AnswerNotesOptions { SuggestReply = AnswerNoteMode.Always, Summary = AnswerNoteMode.Always };
        var shortMessage = new ScriptedAnswers(ScriptedAnswers.Draft, new ThreadDigest(["One.", "Two."], 2, [], null));

        var abstained = Plan(ScriptedAnswers.Abstaining(), everything);
        var tooShort = Plan(shortMessage, new AnswerNotesOptions { Summary = AnswerNoteMode.Always });

        Assert.Empty(abstained.Notes);
        Assert.Equal(
            [
                new SkippedValue("note", AnswerNotes.ReplyLabel, "nothing close enough (best 0.31 < 0.60)"),
                new SkippedValue("note", AnswerNotes.SummaryLabel, "no text"),
            ],
            abstained.Skipped);
        Assert.Empty(tooShort.Notes);
        Assert.Equal([new SkippedValue("note", AnswerNotes.SummaryLabel, "the message has 2 sentences; nothing to shorten")], tooShort.Skipped);
    }

    [Fact]
    public void A_failing_suggester_is_reported_as_skipped_not_thrown()
    {
        var failing = new ScriptedAnswers(ScriptedAnswers.Draft, ScriptedAnswers.Digest) { Throw = new IOException("index locked") };

        var plan = Plan(failing, new AnswerNotesOptions { SuggestReply = AnswerNoteMode.Always });

        Assert.Equal([new SkippedValue("note", AnswerNotes.ReplyLabel, "failed: index locked")], plan.Skipped);
    }

    [Fact]
    public void The_change_plan_puts_answer_notes_after_the_rules_notes()
    {
        var instance = new ZammadInstanceOptions { Name = "main", Answers = new AnswerNotesOptions { SuggestReply = AnswerNoteMode.Rules } };
        var evaluation = Evaluate("add note 'Checked by AI'", "suggest reply");
        var answers = new AnswerNotes(ScriptedAnswers.Answering(), NullLogger<AnswerNotes>.Instance).Plan(instance, Ticket(), evaluation, CancellationToken.None);

        var plan = ChangePlanner.Plan(instance, Ticket(), Facts(), evaluation, answers);

        Assert.Equal(["Checked by AI", ReplyNote], plan.Changes.Notes);
    }

    private static AnswerNotesPlan Plan(ITicketAnswers answers, AnswerNotesOptions options, params string[] actions)
    {
        var instance = new ZammadInstanceOptions { Name = "main", Answers = options };
        return new AnswerNotes(answers, NullLogger<AnswerNotes>.Instance).Plan(instance, Ticket(), Evaluate(actions), CancellationToken.None);
    }

    private static RuleEvaluation Evaluate(params string[] actions)
    {
        var options = new RulesOptions { Rules = actions.Length == 0 ? [] : [new RuleOptions { Name = "answers", When = "queue == 'Billing'", Then = [.. actions] }] };
        var rules = RuleSet.Compile(options, [], out var errors);
        Assert.Empty(errors);
        return new RuleEngine(rules).Evaluate(Facts());
    }

    private static PredictionFacts Facts() => new(new Dictionary<string, HeadResult> { ["queue"] = new(["Billing"], false, 0.9, false) });

    private static TicketEvent Ticket() => new("zammad", "main", "d-1", "webhook", "81", "10081", "subject", "body", null, null, []);
}
