using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Integrations.Storage;

public static class IntegrationStorageServiceCollectionExtensions
{
    /// <summary>
    /// The integration database (<c>Integrations:Provider</c>/<c>ConnectionString</c>; SQLite <c>integrations.db</c> in
    /// <c>Integrations:DataDirectory</c> by default) and the small stores over it, as singletons.
    /// </summary>
    public static IServiceCollection AddIntegrationStorage(this IServiceCollection services, string contentRoot)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<IntegrationsOptions>>().Value;
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? contentRoot;
            var directory = Path.GetFullPath(options.DataDirectory, root);
            var database = SqlDatabase.Create(options.Provider, options.ConnectionString, Path.Combine(directory, IntegrationsOptions.DatabaseFile), root);
            return new IntegrationDatabase(database, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<StoredReplies>();
        services.AddSingleton<PollCursors>();
        services.AddSingleton<TicketValues>();
        return services;
    }
}
