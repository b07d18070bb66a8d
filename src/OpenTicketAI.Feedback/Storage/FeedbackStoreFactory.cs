using OpenTicketAI.Storage;

namespace OpenTicketAI.Feedback.Storage;

public static class FeedbackStoreFactory
{
    /// <summary>The store <paramref name="options"/> describe; relative SQLite files start at <paramref name="contentRoot"/>. Call <see cref="IFeedbackStore.MigrateAsync"/> before use.</summary>
    public static SqlFeedbackStore Create(FeedbackOptions options, string contentRoot, TimeProvider time)
    {
        if (options.Provider == FeedbackProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("Feedback:ConnectionString is required for PostgreSql.", nameof(options));
        }

        var database = SqlDatabase.Create((DatabaseProvider)options.Provider, options.ConnectionString, FeedbackOptions.DefaultSqliteFile, contentRoot);
        return new SqlFeedbackStore(database, options.QueueHead, time);
    }
}
