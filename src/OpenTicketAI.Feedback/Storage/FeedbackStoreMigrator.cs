using Microsoft.Extensions.Hosting;

namespace OpenTicketAI.Feedback.Storage;

/// <summary>Brings the schema up to date before the host serves requests; a database that cannot be reached stops start-up.</summary>
internal sealed class FeedbackStoreMigrator(IFeedbackStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
