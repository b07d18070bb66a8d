using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using OpenTicketAI.Feedback;
using OpenTicketAI.Feedback.Recording;
using OpenTicketAI.Feedback.Storage;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// <c>--from-feedback</c>: the labelled tickets of the service's feedback store, found through the same configuration keys
/// (<c>Feedback:Provider</c>, <c>Feedback:ConnectionString</c>, as environment variables <c>OTAI__Feedback__...</c>) or
/// <c>--feedback-db PATH</c> for a SQLite file.
/// </summary>
internal sealed class FeedbackSource(string description = "Also train on the feedback store's labelled tickets (Feedback:Provider / Feedback:ConnectionString, e.g. OTAI__Feedback__ConnectionString).")
{
    public const string EnvironmentPrefix = "OTAI__";

    public Option<bool> FromFeedback { get; } = new("--from-feedback") { Description = description };

    public Option<FileInfo?> Database { get; } = new("--feedback-db") { Description = "The service's SQLite feedback database file (implies --from-feedback)." };

    public void AddTo(Command command)
    {
        command.Options.Add(FromFeedback);
        command.Options.Add(Database);
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(FromFeedback) || parse.GetValue(Database) is not null;

    public async Task<IReadOnlyList<LabelledTicket>> ReadAsync(ParseResult parse, CancellationToken cancellationToken, LabelledTicketQuery? query = null)
    {
        var options = new FeedbackOptions();
        new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build().GetSection(FeedbackOptions.SectionName).Bind(options);
        if (parse.GetValue(Database) is { } file)
        {
            // Opening a missing SQLite file would create an empty database; a typo must be an error instead.
            if (!file.Exists)
            {
                throw new ArgumentException($"{file.FullName}: feedback database not found (--feedback-db)");
            }

            options.Provider = FeedbackProvider.Sqlite;
            options.ConnectionString = $"Data Source={file.FullName}";
        }

        await using var store = FeedbackStoreFactory.Create(options, Directory.GetCurrentDirectory(), TimeProvider.System);
        try
        {
            await store.MigrateAsync(cancellationToken);
            return await store.GetLabelledTicketsAsync(query ?? new LabelledTicketQuery(), cancellationToken);
        }
        catch (DbException ex)
        {
            throw new InvalidOperationException($"cannot read the {options.Provider} feedback store: {ex.Message}", ex);
        }
    }
}
