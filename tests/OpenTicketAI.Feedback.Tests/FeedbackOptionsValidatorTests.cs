namespace OpenTicketAI.Feedback.Tests;

public sealed class FeedbackOptionsValidatorTests
{
    private readonly FeedbackOptionsValidator _validator = new();

    [Fact]
    public void The_defaults_are_valid_and_use_a_sqlite_file()
    {
        var options = new FeedbackOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal((FeedbackProvider.Sqlite, "queue", false), (options.Provider, options.QueueHead, options.StoreTicketText));
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_is_rejected_naming_the_key()
    {
        var result = _validator.Validate(null, new FeedbackOptions { Provider = FeedbackProvider.PostgreSql });

        Assert.True(result.Failed);
        Assert.Contains("Feedback:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FeedbackProvider.Sqlite, "Colour=blue")]
    [InlineData(FeedbackProvider.PostgreSql, "Hostess=db;Password=secret")]
    public void An_unreadable_connection_string_is_rejected_without_echoing_it(FeedbackProvider provider, string connectionString)
    {
        var result = _validator.Validate(null, new FeedbackOptions { Provider = provider, ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains("Feedback:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.FailureMessage, StringComparison.Ordinal);
    }
}
