using Dapper;
using OpenTicketAI.Integrations.Outbox;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>
/// Deliveries (webhook deliveries, polled tickets) already processed. The key (help desk, instance, delivery id) is unique in
/// the database, so a delivery is processed once across replicas; the outbox records it with its write-backs
/// (<see cref="OutboxStore.EnqueueAsync"/>).
/// </summary>
public sealed class DeliveryLog(IntegrationDatabase database)
{
    public async Task<bool> IsProcessedAsync(string helpDesk, string instance, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT 1 FROM processed_deliveries WHERE help_desk = @helpDesk AND instance = @instance AND delivery_id = @deliveryId;",
            new { helpDesk, instance, deliveryId },
            cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>Forgets a delivery that has no write-backs, so the help desk's retry is processed again (after a failed feedback write).</summary>
    public async Task ReleaseAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM processed_deliveries WHERE help_desk = @HelpDesk AND instance = @Instance AND delivery_id = @DeliveryId
              AND NOT EXISTS (SELECT 1 FROM outbox_messages WHERE help_desk = @HelpDesk AND instance = @Instance AND delivery_id = @DeliveryId);
            """,
            delivery,
            cancellationToken: cancellationToken));
    }
}
