using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Core.Encoders;

namespace OpenTicketAI.Api.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>Knowledge collections (section <c>Knowledge</c>) for /similar, /suggest, /kb/* and /summarize; validators come with <see cref="PredictionServiceCollectionExtensions.AddPredictionValidation"/>.</summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>()
            .BindConfiguration(KnowledgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<EncoderCache>();
        services.AddSingleton<KnowledgeStore>();
        services.AddSingleton<KnowledgeMetrics>();
        services.AddHostedService<KnowledgeRefresher>();
        services.AddHostedService<ResolvedTicketIndexer>();
        return services;
    }
}
