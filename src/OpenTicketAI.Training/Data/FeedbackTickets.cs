using System.Security.Cryptography;
using System.Text;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Feedback.Recording;

namespace OpenTicketAI.Training.Data;

/// <summary>Turns the feedback store's labelled tickets into training rows, alone or added to rows loaded from files.</summary>
public static class FeedbackTickets
{
    /// <summary>The <see cref="SourceSummary.Path"/> and row-origin prefix of rows that came from the feedback store.</summary>
    public const string Source = "feedback";

    /// <summary>One row per ticket with the single-label heads an agent confirmed or corrected; heads in <paramref name="multiLabelHeads"/> are skipped (feedback carries one label per head).</summary>
    public static IReadOnlyList<LabeledTicket> ToRows(IReadOnlyList<LabelledTicket> tickets, IReadOnlySet<string>? multiLabelHeads = null) =>
        tickets
            .Select(t => new LabeledTicket(
                new TicketText(t.Subject, t.Body),
                t.Labels.Where(l => multiLabelHeads?.Contains(l.Key) != true).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                new Dictionary<string, IReadOnlyList<string>>())
            {
                Id = t.Ticket.ToString(),
                Origin = $"{Source}:{t.Ticket}",
            })
            .Where(r => r.Labels.Count > 0)
            .ToList();

    public static bool IsFromFeedback(LabeledTicket row) => row.Origin?.StartsWith(Source + ":", StringComparison.Ordinal) == true;

    /// <summary>
    /// <paramref name="files"/> (may be null) plus the feedback tickets: heads are the union, a head the files declare keeps its kind,
    /// every other feedback head is single-label. Throws <see cref="TrainingDataException"/> when nothing is labelled.
    /// </summary>
    public static TrainingSet Combine(TrainingSet? files, IReadOnlyList<LabelledTicket> tickets)
    {
        var multiLabel = (files?.Heads ?? []).Where(h => h.Kind == HeadKind.MultiLabel).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        var rows = ToRows(tickets, multiLabel);
        if (rows.Count == 0)
        {
            throw new TrainingDataException("the feedback store holds no labelled tickets (tickets need stored text and at least one feedback label)");
        }

        var heads = (files?.Heads ?? []).ToList();
        foreach (var head in rows.SelectMany(r => r.Labels.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (heads.All(h => h.Name != head))
            {
                heads.Add(new HeadDefinition(head, HeadKind.SingleLabel));
            }
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows.Select(r => $"{r.Id}|{string.Join(',', r.Labels.Select(l => $"{l.Key}={l.Value}"))}")))));
        return new TrainingSet(
            [.. files?.Rows ?? [], .. rows],
            heads,
            [.. files?.Sources ?? [], new SourceSummary(Source, digest, rows.Count)]);
    }
}
