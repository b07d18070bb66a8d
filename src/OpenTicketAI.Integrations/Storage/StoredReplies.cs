using Dapper;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>The synchronous answer to a delivery (Znuny), stored so a repeated delivery gets the same answer from any replica.</summary>
public sealed class StoredReplies(IntegrationDatabase database)
{
    /// <summary>Stores the answer; the first one stored wins.</summary>
    public async Task SaveAsync(string helpDesk, string instance, string deliveryId, string body, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sync_responses (help_desk, instance, delivery_id, body, created_at) VALUES (@helpDesk, @instance, @deliveryId, @body, @now)
            ON CONFLICT (help_desk, instance, delivery_id) DO NOTHING;
            """,
            new { helpDesk, instance, deliveryId, body, now = database.Now() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The answer stored for a delivery, or null.</summary>
    public async Task<string?> GetAsync(string helpDesk, string instance, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT body FROM sync_responses WHERE help_desk = @helpDesk AND instance = @instance AND delivery_id = @deliveryId;",
            new { helpDesk, instance, deliveryId },
            cancellationToken: cancellationToken));
    }
}
