using OpenTicketAI.Testing;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>One row of a fixture file: the ticket text and its labels as a help-desk export would hold them.</summary>
public sealed record FixtureTicket(string Id, string Subject, string Body, string Queue, string? Priority, string Type, IReadOnlyList<string> Tags)
{
    /// <summary>A synthetic ticket (<see cref="SyntheticTickets"/>); its type follows from the queue.</summary>
    public static FixtureTicket From(LabeledTicket ticket) => new(
        ticket.Id ?? throw new ArgumentException("synthetic tickets have ids", nameof(ticket)),
        ticket.Text.Subject ?? "",
        ticket.Text.Body ?? "",
        ticket.Labels[SyntheticTickets.QueueHead],
        ticket.Labels.GetValueOrDefault(SyntheticTickets.PriorityHead),
        ticket.Labels[SyntheticTickets.QueueHead] == "Technical Support" ? "Incident" : "Request",
        ticket.MultiLabels.GetValueOrDefault(SyntheticTickets.TagsHead) ?? []);

    /// <summary><paramref name="count"/> synthetic tickets (queue Billing, Sales or Technical Support; priority low, medium or high).</summary>
    public static IReadOnlyList<FixtureTicket> Synthetic(int count, int seed = 7) =>
        SyntheticTickets.TrainingSet(tickets: count, tweets: 0, seed: seed).Rows.Select(From).ToArray();

    /// <summary>Tickets from the same distribution with different phrases; every one carries a priority.</summary>
    public static IReadOnlyList<FixtureTicket> SyntheticHeldOut(int count, int seed = 7) =>
        SyntheticTickets.HeldOut(tickets: count, tweets: 0, seed: seed).Select(From).ToArray();
}
