using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Notifications;

namespace OpenTicketAI.Integrations.Outbox;

/// <summary>
/// Configures the named HTTP client of every outbox target when it is first created: <c>otai-outbox:helpdesk:zammad:main</c>
/// gets the instance's base address and credentials from its connector, <c>otai-outbox:notify:tier2</c> none. Every client
/// gets <see cref="OutboxOptions.RequestTimeout"/> per attempt; retries are the outbox's, persisted across restarts.
/// </summary>
public sealed class OutboxHttpClients(HelpDeskRegistry registry, NotificationPlanner notifications, IOptions<OutboxOptions> options)
    : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions options1)
    {
        if (name is null || !name.StartsWith(OutboxTargets.ClientPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var target = name[OutboxTargets.ClientPrefix.Length..];
        var parts = target.Split(':');
        options1.HttpClientActions.Add(client => client.Timeout = options.Value.RequestTimeout);
        if (parts is ["helpdesk", var helpDesk, var instance] && registry.TryFind(helpDesk, instance, out var connector, out var settings))
        {
            options1.HttpClientActions.Add(client => connector.ConfigureClient(settings, client));
            if (connector is IWriteBackCredentials credentials)
            {
                options1.HttpMessageHandlerBuilderActions.Add(builder =>
                {
                    if (credentials.CreateHandler(settings) is { } handler)
                    {
                        builder.AdditionalHandlers.Add(handler);
                    }
                });
            }
        }
        else if (parts is ["notify", var notification] && notifications.Find(notification) is not null)
        {
            options1.HttpClientActions.Add(client => client.DefaultRequestHeaders.UserAgent.ParseAdd("OpenTicketAI"));
        }
    }

    public void Configure(HttpClientFactoryOptions options1) => Configure(Options.DefaultName, options1);
}
