using FluentValidation;
using OpenTicketAI.Api.Language;

namespace OpenTicketAI.Api.Predictions;

public static class PredictionServiceCollectionExtensions
{
    public static IServiceCollection AddPredictions(this IServiceCollection services)
    {
        services.AddSingleton<PredictionService>();
        services.AddLanguageIdentification();
        return services.AddPredictionValidation();
    }

    /// <summary>Request limits (section <c>Predict</c>) and the validators the predict endpoints run.</summary>
    public static IServiceCollection AddPredictionValidation(this IServiceCollection services)
    {
        services.AddOptions<PredictOptions>()
            .BindConfiguration(PredictOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddValidatorsFromAssemblyContaining<PredictRequestValidator>(ServiceLifetime.Singleton);
        return services;
    }
}
