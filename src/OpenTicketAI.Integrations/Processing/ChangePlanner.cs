using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>A label that was not written, and why.</summary>
/// <param name="Kind"><c>queue</c>, <c>priority</c>, <c>tag</c> or <c>note</c> (a suggested reply or summary).</param>
public sealed record SkippedValue(string Kind, string Label, string Reason);

/// <summary>The changes for one ticket in the help desk's values, the notifications to send, and what was skipped.</summary>
public sealed record ChangePlan(HelpDeskChanges Changes, IReadOnlyList<string> Notifications, IReadOnlyList<string> FiredRules, IReadOnlyList<SkippedValue> Skipped);

/// <summary>
/// Turns predictions and fired rules into one ticket's changes. Order: the instance's enabled heads apply the model's labels
/// (unless the head is below its review threshold), then fired rules override queue and priority and add tags and notes, and
/// review routing overrides the queue. Queue and priority labels, and predicted tags, go through the instance's mappings:
/// a label without a mapping is skipped, never written as is. Values the ticket already has are not written again.
/// Suggested-reply and summary notes (<see cref="AnswerNotes"/>) follow the rules' notes.
/// </summary>
public static class ChangePlanner
{
    public static ChangePlan Plan(HelpDeskInstanceOptions instance, TicketEvent ticket, PredictionFacts facts, RuleEvaluation evaluation, AnswerNotesPlan? answers = null)
    {
        var skipped = new List<SkippedValue>();
        var unsure = evaluation.Review.Heads.Select(h => h.Head).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Applies(string head) => instance.Heads.Contains(head, StringComparer.OrdinalIgnoreCase) && !unsure.Contains(head);

        string? queue = Applies("queue") && facts.Head("queue") is { MultiLabel: false, Labels.Count: > 0 } q ? q.Labels[0] : null;
        string? priority = Applies("priority") && facts.Head("priority") is { MultiLabel: false, Labels.Count: > 0 } p ? p.Labels[0] : null;
        var predictedTags = Applies("tags") && facts.Head("tags") is { } t ? t.Labels : [];
        var ruleTags = new List<string>();
        var notes = new List<string>();
        var notifications = new List<string>();
        foreach (var action in evaluation.Actions)
        {
            switch (action.Kind)
            {
                case RuleActionKind.SetQueue:
                    queue = action.Value;
                    break;
                case RuleActionKind.SetPriority:
                    priority = action.Value;
                    break;
                case RuleActionKind.AddTag:
                    ruleTags.Add(action.Value!);
                    break;
                case RuleActionKind.AddNote:
                    notes.Add(action.Value!);
                    break;
                case RuleActionKind.Notify when !notifications.Contains(action.Value!, StringComparer.OrdinalIgnoreCase):
                    notifications.Add(action.Value!);
                    break;
            }
        }

        if (answers is not null)
        {
            notes.AddRange(answers.Notes);
            skipped.AddRange(answers.Skipped);
        }

        if (evaluation.Review.Required && evaluation.Review.Queue is { } reviewQueue)
        {
            queue = reviewQueue;
        }

        var tags = new List<string>();
        foreach (var tag in predictedTags)
        {
            if (instance.Mappings.Tags.TryGetValue(tag, out var mapped))
            {
                tags.Add(mapped);
            }
            else
            {
                skipped.Add(new SkippedValue("tag", tag, "no mapping in Mappings:Tags"));
            }
        }

        tags.AddRange(ruleTags);
        tags = tags
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(tag => !ticket.ExistingTags.Contains(tag, StringComparer.OrdinalIgnoreCase))
            .ToList();

        var changes = new HelpDeskChanges(
            Map("queue", queue, instance.Mappings.Queues, ticket.CurrentQueue, skipped),
            Map("priority", priority, instance.Mappings.Priorities, ticket.CurrentPriority, skipped),
            tags,
            notes);
        var fired = evaluation.Rules.Where(r => r.Fired).Select(r => r.Name).ToList();
        return new ChangePlan(changes, notifications, fired, skipped);
    }

    private static string? Map(string kind, string? label, Dictionary<string, string> mapping, string? current, List<SkippedValue> skipped)
    {
        if (label is null)
        {
            return null;
        }

        if (!mapping.TryGetValue(label, out var value))
        {
            skipped.Add(new SkippedValue(kind, label, $"no mapping in Mappings:{(kind == "queue" ? "Queues" : "Priorities")}"));
            return null;
        }

        return string.Equals(value, current, StringComparison.OrdinalIgnoreCase) ? null : value;
    }
}
