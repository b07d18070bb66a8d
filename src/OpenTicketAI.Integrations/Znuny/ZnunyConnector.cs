using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Integrations.Znuny;

/// <summary>
/// Znuny: a Generic Interface web service whose requester invoker <c>Ticket::Generic</c> fires on <c>TicketCreate</c> POSTs
/// the ticket here and applies the keys of our synchronous response (Kernel/GenericInterface/Invoker/Ticket/Generic.pm,
/// HandleResponse): <c>OTRS_TicketQueueSet</c> (queue name), <c>OTRS_TicketPrioritySet</c> (priority name, e.g. <c>4 high</c>),
/// <c>OTRS_TicketDynamicFieldSet_&lt;Name&gt;</c> and <c>OTRS_TicketArticleAdd</c> (Generic.pm checks <c>Subject</c> and
/// <c>Body</c>; the article backend also needs <c>HistoryType</c> and <c>HistoryComment</c>, Kernel/System/Ticket/Article/Backend/
/// MIMEBase.pm, ArticleCreate). Znuny applies the keys in sorted order and stops at the first that fails, so the note, which
/// sorts first, carries everything the backend checks. Nothing goes through the outbox, so Znuny needs no API user; a
/// repeated request for the same ticket and event gets the stored answer.
/// </summary>
public sealed class ZnunyConnector(IOptions<ZnunyOptions> options) : IHelpDeskConnector, ISynchronousHelpDesk
{
    public const string Name = "znuny";

    public string HelpDesk => Name;

    public IReadOnlyList<HelpDeskInstanceOptions> Instances { get; } = options.Value.Instances;

    public InboundResult Receive(HelpDeskInstanceOptions instance, InboundRequest request) =>
        GenericInterfaceRequest.Authenticate((ZnunyInstanceOptions)instance, request) ?? GenericInterfaceRequest.Parse(Name, instance, request, ServiceUserId);

    /// <summary>Znuny applies our answer's keys as user 1 (Generic.pm HandleResponse, <c>UserID =&gt; 1</c>).</summary>
    public const string ServiceUserId = "1";

    /// <summary>Nothing to send: Znuny applies the response itself.</summary>
    public IReadOnlyList<WriteBackRequest> PlanWriteBack(HelpDeskInstanceOptions instance, TicketEvent ticket, HelpDeskChanges changes) => [];

    public void ConfigureClient(HelpDeskInstanceOptions instance, HttpClient client)
    {
    }

    public IReadOnlyDictionary<string, object?> RenderResponse(HelpDeskInstanceOptions instance, ProcessingResult result)
    {
        var znuny = (ZnunyInstanceOptions)instance;
        var response = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        if (result.Plan is not { } plan)
        {
            return response;
        }

        if (plan.Changes.Queue is { } queue)
        {
            response["OTRS_TicketQueueSet"] = queue;
        }

        if (plan.Changes.Priority is { } priority)
        {
            response["OTRS_TicketPrioritySet"] = priority;
        }

        if (result.Classification is { } classification)
        {
            foreach (var (head, field) in znuny.DynamicFields.OrderBy(f => f.Value, StringComparer.Ordinal))
            {
                if (classification.Heads.TryGetValue(head, out var value) && value.Labels.Count > 0)
                {
                    response["OTRS_TicketDynamicFieldSet_" + field] = value.MultiLabel ? string.Join(", ", value.Labels) : value.Labels[0];
                }
            }
        }

        if (plan.Changes.Notes.Count > 0)
        {
            response["OTRS_TicketArticleAdd"] = new Dictionary<string, object?>
            {
                ["Subject"] = znuny.NoteSubject,
                ["Body"] = string.Join("\n\n", plan.Changes.Notes),
                ["ChannelName"] = "Internal",
                ["IsVisibleForCustomer"] = 0,
                ["SenderType"] = "agent",
                ["From"] = "Open Ticket AI",
                ["MimeType"] = "text/plain",
                ["Charset"] = "utf-8",
                ["HistoryType"] = "AddNote",
                ["HistoryComment"] = "Open Ticket AI: internal note",
            };
        }

        return response;
    }
}

/// <summary>Start-up checks for <see cref="ZnunyOptions"/>.</summary>
public sealed class ZnunyOptionsValidator(IOptions<Rules.RulesOptions> rules)
    : HelpDeskOptionsValidator<ZnunyOptions, ZnunyInstanceOptions>(rules, ZnunyOptions.SectionName)
{
    protected override void ValidateInstance(string key, ZnunyInstanceOptions instance, List<string> errors)
    {
        if (instance.Enabled && string.IsNullOrEmpty(instance.WebhookPassword) && !instance.AllowUnsignedWebhooks)
        {
            errors.Add($"{key}:WebhookPassword is required: the requester's BasicAuth password (or set AllowUnsignedWebhooks on a trusted network); set it from the environment.");
        }
    }
}
