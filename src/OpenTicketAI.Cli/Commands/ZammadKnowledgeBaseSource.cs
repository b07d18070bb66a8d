using System.CommandLine;
using System.Globalization;
using System.Net;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// <c>--from-zammad-kb URL</c>: a Zammad knowledge base's published answers (every translation) as articles, read with the
/// token and instance name of <see cref="HelpDeskHistorySource"/>'s Zammad options.
/// </summary>
internal sealed class ZammadKnowledgeBaseSource(HelpDeskHistorySource helpDesks)
{
    private readonly Option<string?> _from = new("--from-zammad-kb") { Description = "Also index a Zammad knowledge base's published answers as articles (e.g. https://zammad.example.com); the token (knowledge_base.reader) comes from --zammad-token-env." };
    private readonly Option<long> _id = new("--zammad-kb-id") { Description = "With --from-zammad-kb: the knowledge base's id.", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _internal = new("--zammad-kb-internal") { Description = "With --from-zammad-kb: also internal (agents-only) answers; for /suggest, not for a customer portal's /kb/suggest." };

    public void AddTo(Command command)
    {
        command.Options.Add(_from);
        command.Options.Add(_id);
        command.Options.Add(_internal);
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(_from) is not null;

    public async Task<IReadOnlyList<KnowledgeDocument>> ReadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var address = parse.GetValue(_from)!;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--from-zammad-kb {address}: expected the Zammad's http(s) address, e.g. https://zammad.example.com");
        }

        var variable = parse.GetValue(helpDesks.ZammadTokenEnv)!;
        var token = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException($"the environment variable {variable} holds no Zammad API token ({helpDesks.ZammadTokenEnv.Name} names the variable)");
        }

        using var client = ZammadHistoryReader.CreateClient(url, token.Trim(), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(helpDesks.RequestTimeout))));
        var reader = new ZammadKnowledgeBaseReader(client, parse.GetValue(helpDesks.ZammadInstance)!, parse.GetValue(_id), parse.GetValue(_internal));
        var documents = new List<KnowledgeDocument>();
        try
        {
            await foreach (var answer in reader.ReadAsync(cancellationToken))
            {
                documents.Add(new KnowledgeDocument
                {
                    Id = answer.Id,
                    Title = answer.Title,
                    Body = answer.Body,
                    Language = answer.Language,
                    Tags = answer.Category is null ? [] : [answer.Category],
                    Date = answer.UpdatedAt,
                    Reference = answer.Url,
                });
            }
        }
        catch (HelpDeskHistoryException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new HelpDeskHistoryException($"{ex.Message} (check the token in {variable}: it needs knowledge_base.reader)", ex.Status, ex);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {documents.Count:N0} answer translations from the Zammad knowledge base at {url.Host} ({reader.Skipped:N0} answers or translations skipped: drafts, archived, scheduled{(parse.GetValue(_internal) ? string.Empty : ", internal")} or empty)"));
        return documents;
    }
}
