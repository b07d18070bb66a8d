using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenTicketAI.Feedback;

/// <summary>Checks at start-up that the configured provider has a connection string it can parse.</summary>
public sealed class FeedbackOptionsValidator : IValidateOptions<FeedbackOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedbackOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail($"Feedback:Provider must be {string.Join(" or ", Enum.GetNames<FeedbackProvider>())}.");
        }

        try
        {
            switch (options.Provider)
            {
                case FeedbackProvider.PostgreSql when string.IsNullOrWhiteSpace(options.ConnectionString):
                    return ValidateOptionsResult.Fail("Feedback:ConnectionString is required when Feedback:Provider is PostgreSql (e.g. Host=db;Database=otai;Username=otai;Password=...).");
                case FeedbackProvider.PostgreSql:
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                    break;
                case FeedbackProvider.Sqlite when !string.IsNullOrWhiteSpace(options.ConnectionString):
                    if (string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource))
                    {
                        return ValidateOptionsResult.Fail("Feedback:ConnectionString must name a file (Data Source=data/feedback.db) when Feedback:Provider is Sqlite.");
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message names the offending keyword, never the password.
            return ValidateOptionsResult.Fail($"Feedback:ConnectionString cannot be read as a {options.Provider} connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
