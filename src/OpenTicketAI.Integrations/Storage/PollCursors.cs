using Dapper;

namespace OpenTicketAI.Integrations.Storage;

/// <summary>A poller's cursor per instance: every ticket id up to it was processed (or is recorded as processed).</summary>
public sealed class PollCursors(IntegrationDatabase database)
{
    /// <summary>Null before the first complete pass.</summary>
    public async Task<long?> GetAsync(string helpDesk, string instance, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT cursor FROM poll_cursors WHERE help_desk = @helpDesk AND instance = @instance;",
            new { helpDesk, instance },
            cancellationToken: cancellationToken));
    }

    /// <summary>Moves the cursor forward, never back (a pass of an earlier leader that ends late cannot rewind it).</summary>
    public async Task SetAsync(string helpDesk, string instance, long cursor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO poll_cursors (help_desk, instance, cursor, updated_at) VALUES (@helpDesk, @instance, @cursor, @now)
            ON CONFLICT (help_desk, instance) DO UPDATE SET
                cursor = CASE WHEN excluded.cursor > poll_cursors.cursor THEN excluded.cursor ELSE poll_cursors.cursor END,
                updated_at = excluded.updated_at;
            """,
            new { helpDesk, instance, cursor, now = database.Now() },
            cancellationToken: cancellationToken));
    }
}
