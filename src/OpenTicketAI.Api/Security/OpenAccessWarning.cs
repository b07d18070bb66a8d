using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Security;

/// <summary>Says loudly at start-up that every endpoint is open when <see cref="SecurityOptions.RequireApiKeys"/> is false.</summary>
public sealed partial class OpenAccessWarning(IOptions<SecurityOptions> options, IHostEnvironment environment, ILogger<OpenAccessWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RequireApiKeys)
        {
            LogOpen(logger, environment.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "API KEYS ARE OFF (Security:RequireApiKeys=false, environment {Environment}): every endpoint, admin ones included (reload, promote, train, outbox, rules), is open to anyone who can reach this port. Configure keys (Security:ApiKeys) before exposing the service.")]
    private static partial void LogOpen(ILogger logger, string environment);
}
