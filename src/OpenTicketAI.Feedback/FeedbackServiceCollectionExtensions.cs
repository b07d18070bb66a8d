using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback.Storage;

namespace OpenTicketAI.Feedback;

public static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// The prediction and feedback store (section <c>Feedback</c>, validated at start-up) as a singleton <see cref="IFeedbackStore"/>,
    /// with its schema migrated by a hosted service before the host serves requests.
    /// </summary>
    public static IServiceCollection AddFeedbackStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<FeedbackOptions>()
            .Bind(configuration.GetSection(FeedbackOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeedbackOptions>, FeedbackOptionsValidator>());
        services.TryAddSingleton<IFeedbackStore>(sp => FeedbackStoreFactory.Create(
            sp.GetRequiredService<IOptions<FeedbackOptions>>().Value,
            sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<FeedbackStoreMigrator>();
        return services;
    }
}
