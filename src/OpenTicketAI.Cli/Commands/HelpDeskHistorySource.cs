using System.CommandLine;
using System.Globalization;
using System.Net;
using OpenTicketAI.Integrations.History;

namespace OpenTicketAI.Cli.Commands;

/// <summary>
/// <c>--from-zammad URL</c> and <c>--from-freescout URL</c>: a help desk's closed tickets with the agent's first reply, read
/// through its REST API with the credential in the environment variable an option names (never a literal on the command line).
/// </summary>
internal sealed class HelpDeskHistorySource
{
    private readonly HelpDesk _zammad = new(
        "zammad",
        "Zammad",
        new Option<string?>("--from-zammad") { Description = "Also index a Zammad's closed tickets with the agent's first reply (e.g. https://zammad.example.com); the token comes from --zammad-token-env." },
        new Option<string>("--zammad-token-env") { Description = "Environment variable holding the Zammad API token (an agent's token with ticket.agent).", DefaultValueFactory = _ => "ZAMMAD_TOKEN" },
        new Option<string?>("--zammad-query") { Description = $"Zammad search query selecting the tickets (default {ZammadHistoryReader.DefaultQuery})." },
        new Option<string>("--zammad-instance") { Description = "The instance's name in document ids (zammad/NAME:81) as Integrations:Zammad:Instances names it, so a ticket read here and from --from-feedback is one document.", DefaultValueFactory = _ => "main" },
        (url, secret, timeout) => ZammadHistoryReader.CreateClient(url, secret, timeout),
        (client, options) => new ZammadHistoryReader(client, options));

    private readonly HelpDesk _freeScout = new(
        "freescout",
        "FreeScout",
        new Option<string?>("--from-freescout") { Description = "Also index a FreeScout's closed conversations with the agent's first reply (API & Webhooks module); the key comes from --freescout-key-env." },
        new Option<string>("--freescout-key-env") { Description = "Environment variable holding the FreeScout API key.", DefaultValueFactory = _ => "FREESCOUT_API_KEY" },
        new Option<string?>("--freescout-status") { Description = $"FreeScout conversation status listed (default {FreeScoutHistoryReader.DefaultStatus})." },
        new Option<string>("--freescout-instance") { Description = "The instance's name in document ids (freescout/NAME:81) as Integrations:FreeScout:Instances names it.", DefaultValueFactory = _ => "main" },
        (url, secret, timeout) => FreeScoutHistoryReader.CreateClient(url, secret, timeout),
        (client, options) => new FreeScoutHistoryReader(client, options));

    /// <summary>The environment variable holding the Zammad token, shared with <see cref="ZammadKnowledgeBaseSource"/>.</summary>
    public Option<string> ZammadTokenEnv => _zammad.SecretEnv;

    /// <summary>The Zammad instance's name in document ids, shared with <see cref="ZammadKnowledgeBaseSource"/>.</summary>
    public Option<string> ZammadInstance => _zammad.Instance;

    public Option<string?> Since { get; } = new("--since") { Description = "With --from-zammad/--from-freescout: only tickets closed on or after this date (ISO 8601; UTC unless it names an offset)." };

    public Option<int> MaxTickets { get; } = new("--max-tickets") { Description = "With --from-zammad/--from-freescout: tickets read at most from each help desk.", DefaultValueFactory = _ => HistoryReadOptions.DefaultMaxTickets };

    public Option<int> RequestTimeout { get; } = new("--request-timeout") { Description = "With --from-zammad/--from-freescout: seconds each request to the help desk may take.", DefaultValueFactory = _ => 30 };

    public void AddTo(Command command)
    {
        foreach (var option in _zammad.Options.Concat(_freeScout.Options).Concat([Since, MaxTickets, RequestTimeout]))
        {
            command.Options.Add(option);
        }
    }

    public bool IsRequested(ParseResult parse) => parse.GetValue(_zammad.From) is not null || parse.GetValue(_freeScout.From) is not null;

    public async Task<IReadOnlyList<ResolvedTicket>> ReadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
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

        var since = Date(parse.GetValue(Since));
        var tickets = new List<ResolvedTicket>();
        foreach (var helpDesk in new[] { _zammad, _freeScout })
        {
            if (parse.GetValue(helpDesk.From) is not { } address)
            {
                continue;
            }

            var options = new HistoryReadOptions
            {
                Instance = parse.GetValue(helpDesk.Instance)!,
                Query = parse.GetValue(helpDesk.Query),
                Since = since,
                MaxTickets = maxTickets,
                PageSize = Math.Min(maxTickets, HistoryReadOptions.DefaultPageSize),
            };
            tickets.AddRange(await helpDesk.ReadAsync(address, parse.GetValue(helpDesk.SecretEnv)!, options, TimeSpan.FromSeconds(seconds), cancellationToken));
        }

        return tickets;
    }

    private static DateTimeOffset? Date(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date
        : throw new ArgumentException($"--since {text}: expected a date such as 2026-01-31 (ISO 8601)");

    /// <summary>One help desk's options and how to read it.</summary>
    private sealed record HelpDesk(
        string Name,
        string Title,
        Option<string?> From,
        Option<string> SecretEnv,
        Option<string?> Query,
        Option<string> Instance,
        Func<Uri, string, TimeSpan, HttpClient> CreateClient,
        Func<HttpClient, HistoryReadOptions, IHelpDeskHistory> CreateReader)
    {
        public IEnumerable<Option> Options => [From, SecretEnv, Query, Instance];

        public async Task<List<ResolvedTicket>> ReadAsync(string address, string variable, HistoryReadOptions options, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{From.Name} {address}: expected the {Title}'s http(s) address, e.g. https://{Name}.example.com");
            }

            var secret = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(secret))
            {
                throw new ArgumentException($"the environment variable {variable} holds no {Title} API credential ({SecretEnv.Name} names the variable)");
            }

            using var client = CreateClient(url, secret.Trim(), timeout);
            var reader = CreateReader(client, options);
            var tickets = new List<ResolvedTicket>();
            try
            {
                await foreach (var ticket in reader.ReadAsync(cancellationToken))
                {
                    tickets.Add(ticket);
                }
            }
            catch (HelpDeskHistoryException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new HelpDeskHistoryException($"{ex.Message} (check the credential in {variable})", ex.Status, ex);
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {tickets.Count:N0} tickets from {Title} {url.Host} ({tickets.Count(t => t.Answer is not null):N0} with an agent reply, {reader.Skipped:N0} skipped; {reader.Selection})"));
            return tickets;
        }
    }
}
