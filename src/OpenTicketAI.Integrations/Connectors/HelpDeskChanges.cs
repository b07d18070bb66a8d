namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// What to write to one ticket, already in the help desk's own values (mapped from model labels; unmapped labels never
/// get here). A connector turns it into <see cref="WriteBackRequest"/>s.
/// </summary>
/// <param name="Queue">The help desk's queue value (Zammad group name, FreeScout mailbox id), or null to leave it.</param>
/// <param name="Priority">The help desk's priority value (Zammad <c>3 high</c>; FreeScout: a tag), or null.</param>
/// <param name="Tags">Tags to add; tags the ticket already has are not repeated.</param>
/// <param name="Notes">Internal notes to add, in order.</param>
public sealed record HelpDeskChanges(string? Queue, string? Priority, IReadOnlyList<string> Tags, IReadOnlyList<string> Notes)
{
    public static HelpDeskChanges None { get; } = new(null, null, [], []);

    public bool IsEmpty => Queue is null && Priority is null && Tags.Count == 0 && Notes.Count == 0;
}
