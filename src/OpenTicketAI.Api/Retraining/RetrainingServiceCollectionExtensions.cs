namespace OpenTicketAI.Api.Retraining;

public static class RetrainingServiceCollectionExtensions
{
    /// <summary>Training jobs (<c>POST /models/{name}/train</c>) and the background worker that runs them one at a time.</summary>
    public static IServiceCollection AddRetraining(this IServiceCollection services)
    {
        services.AddSingleton<TrainingJobs>();
        services.AddHostedService<TrainingJobWorker>();
        return services;
    }
}
