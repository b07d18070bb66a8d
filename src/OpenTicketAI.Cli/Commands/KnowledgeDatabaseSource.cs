using System.CommandLine;
using Microsoft.Extensions.Configuration;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// The database the service holds its collections in, found through the same configuration keys (<c>Knowledge:Provider</c>,
/// <c>Knowledge:ConnectionString</c>, as environment variables <c>OTAI__Knowledge__...</c>) or <c>--knowledge-db</c>:
/// with one, <c>otai index</c> writes there and every replica picks the documents up; without, it writes the directory.
/// </summary>
internal sealed class KnowledgeDatabaseSource
{
    public Option<string?> ConnectionString { get; } = new("--knowledge-db")
    {
        Description = "PostgreSQL connection string of the service's collection database (Knowledge:Provider PostgreSql; default from OTAI__Knowledge__Provider and OTAI__Knowledge__ConnectionString).",
    };

    public void AddTo(Command command) => command.Options.Add(ConnectionString);

    /// <summary>The configured database; null when the collections live only in <paramref name="root"/>.</summary>
    public CollectionDatabase? Open(ParseResult parse, string root)
    {
        var settings = new ConfigurationBuilder().AddEnvironmentVariables(FeedbackSource.EnvironmentPrefix).Build().GetSection("Knowledge");
        var (provider, connectionString) = (settings["Provider"], settings["ConnectionString"]);
        if (parse.GetValue(ConnectionString) is { Length: > 0 } given)
        {
            (provider, connectionString) = (nameof(DatabaseProvider.PostgreSql), given);
        }

        if (string.IsNullOrWhiteSpace(provider))
        {
            return null;
        }

        if (!Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var kind))
        {
            throw new ArgumentException($"Knowledge:Provider '{provider}' is neither Sqlite nor PostgreSql.");
        }

        return new CollectionDatabase(SqlDatabase.Create(kind, connectionString, Path.Combine(root, CollectionDatabase.SqliteFile), Directory.GetCurrentDirectory()));
    }
}
