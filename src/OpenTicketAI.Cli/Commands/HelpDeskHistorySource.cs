using System.CommandLine;
using System.Globalization;
using OpenTicketAI.Integrations.History;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// <c>--from-zammad URL</c>: a Zammad instance's closed tickets with the agent's first reply, read through its REST API with
/// the token in the environment variable <c>--zammad-token-env</c> names (never a literal on the command line).
/// </summary>
internal sealed class HelpDeskHistorySource
{
    public Option<string?> Zammad { get; } = new("--from-zammad") { Description = "Also index a Zammad's closed tickets with the agent's first reply (e.g. https://zammad.example.com); the token comes from --zammad-token-env." };

    public Option<string> ZammadTokenEnv { get; } = new("--zammad-token-env") { Description = "Environment variable holding the Zammad API token (Profile > Token Access, permission ticket.agent).", DefaultValueFactory = _ => "ZAMMAD_TOKEN" };

    public Option<string?> ZammadQuery { get; } = new("--zammad-query") { Description = $"Zammad search query selecting the tickets (default {ZammadHistoryReader.DefaultQuery})." };

    public Option<string> ZammadInstance { get; } = new("--zammad-instance") { Description = "The instance's name in document ids (zammad/NAME:81) as Integrations:Zammad:Instances names it, so a ticket read here and from --from-feedback is one document.", DefaultValueFactory = _ => "main" };

    public Option<string?> Since { get; } = new("--since") { Description = "With --from-zammad: only tickets closed on or after this date (ISO 8601; UTC unless it names an offset)." };

    public Option<int> MaxTickets { get; } = new("--max-tickets") { Description = "With --from-zammad: tickets read at most.", DefaultValueFactory = _ => HistoryReadOptions.DefaultMaxTickets };

    public Option<int> RequestTimeout { get; } = new("--request-timeout") { Description = "With --from-zammad: seconds each request to the help desk may take.", DefaultValueFactory = _ => 30 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Zammad, ZammadTokenEnv, ZammadQuery, ZammadInstance, Since, MaxTickets, RequestTimeout })
        {
            command.Options.Add(option);
        }
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(Zammad) is not null;

    public async Task<IReadOnlyList<ResolvedTicket>> ReadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var address = parse.GetValue(Zammad)!;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--from-zammad {address}: expected the Zammad's http(s) address, e.g. https://zammad.example.com");
        }

        var variable = parse.GetValue(ZammadTokenEnv)!;
        var token = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException($"the environment variable {variable} holds no Zammad API token (--zammad-token-env names the variable)");
        }

        var seconds = parse.GetValue(RequestTimeout);
        if (seconds < 1)
        {
            throw new ArgumentException($"--request-timeout {seconds}: expected at least 1 second");
        }

        var maxTickets = parse.GetValue(MaxTickets);
        if (maxTickets < 1)
        {
            throw new ArgumentException($"--max-tickets {maxTickets}: expected at least 1");
        }

        var options = new HistoryReadOptions
        {
            Instance = parse.GetValue(ZammadInstance)!,
            Query = parse.GetValue(ZammadQuery),
            Since = Date(parse.GetValue(Since)),
            MaxTickets = maxTickets,
            PageSize = Math.Min(maxTickets, HistoryReadOptions.DefaultPageSize),
        };
        using var client = ZammadHistoryReader.CreateClient(url, token.Trim(), TimeSpan.FromSeconds(seconds));
        var reader = new ZammadHistoryReader(client, options);
        var tickets = new List<ResolvedTicket>();
        try
        {
            await foreach (var ticket in reader.ReadAsync(cancellationToken))
            {
                tickets.Add(ticket);
            }
        }
        catch (HelpDeskHistoryException ex) when (ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new HelpDeskHistoryException($"{ex.Message} (check the token in {variable}; it needs the ticket.agent permission)", ex.Status, ex);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read {tickets.Count:N0} tickets from Zammad {url.Host} ({tickets.Count(t => t.Answer is not null):N0} with an agent reply, {reader.Skipped:N0} skipped; query {reader.SearchQuery})"));
        return tickets;
    }

    private static DateTimeOffset? Date(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date
        : throw new ArgumentException($"--since {text}: expected a date such as 2026-01-31 (ISO 8601)");
}
