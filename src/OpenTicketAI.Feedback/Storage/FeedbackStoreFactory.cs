namespace OpenTicketAI.Feedback.Storage;

public static class FeedbackStoreFactory
{
    /// <summary>The store <paramref name="options"/> describe; relative SQLite files start at <paramref name="contentRoot"/>. Call <see cref="IFeedbackStore.MigrateAsync"/> before use.</summary>
    public static SqlFeedbackStore Create(FeedbackOptions options, string contentRoot, TimeProvider time)
    {
        FeedbackDatabase database = options.Provider switch
        {
            FeedbackProvider.Sqlite => new SqliteFeedbackDatabase(options.ConnectionString, contentRoot),
            FeedbackProvider.PostgreSql => new PostgreSqlFeedbackDatabase(options.ConnectionString
                ?? throw new ArgumentException("Feedback:ConnectionString is required for PostgreSql.", nameof(options))),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown Feedback:Provider."),
        };
        return new SqlFeedbackStore(database, options.QueueHead, time);
    }
}
