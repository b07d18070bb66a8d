using Dapper;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>
/// The help-desk value (group, mailbox, priority) each head of a ticket had when the service last saw or wrote it; a
/// help-desk event whose value differs is a change someone else made.
/// </summary>
public sealed class TicketValues(IntegrationDatabase database)
{
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(string helpDesk, string instance, string ticketId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Head, string Value)>(new CommandDefinition(
            "SELECT head, value FROM ticket_values WHERE help_desk = @helpDesk AND instance = @instance AND ticket_id = @ticketId;",
            new { helpDesk, instance, ticketId },
            cancellationToken: cancellationToken));
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (head, value) in rows)
        {
            values[head] = value;
        }

        return values;
    }

    /// <summary>Remembers the values of a ticket's heads (the last one written wins); heads with a null value are left as they are.</summary>
    public async Task SetAsync(string helpDesk, string instance, string ticketId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = database.Now();
        foreach (var (head, value) in values.Where(v => v.Value is not null))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ticket_values (help_desk, instance, ticket_id, head, value, updated_at) VALUES (@helpDesk, @instance, @ticketId, @head, @value, @now)
                ON CONFLICT (help_desk, instance, ticket_id, head) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
                """,
                new { helpDesk, instance, ticketId, head, value, now },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
