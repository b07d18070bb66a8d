using OpenTicketAI.Core.Encoders;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenTicketAI.Api.Models;

public static class ModelServiceCollectionExtensions
{
    /// <summary>The model store and the watcher that loads and hot-reloads every model under <c>OpenTicketAI:ModelsPath</c>.</summary>
    public static IServiceCollection AddTicketModels(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EncoderCache>();
        services.AddSingleton<ModelStore>();
        services.AddHostedService<ModelDirectoryWatcher>();
        return services;
    }
}
