using Microsoft.Extensions.Options;
using OpenTicketAI.Feedback;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Api.Retraining;

public static class RetrainingServiceCollectionExtensions
{
    /// <summary>
    /// Training jobs (<c>POST /models/{name}/train</c>, section <c>Training</c>) stored in the feedback database, migrated
    /// at start-up, and the background worker that runs them one at a time.
    /// </summary>
    public static IServiceCollection AddRetraining(this IServiceCollection services)
    {
        services.AddOptions<TrainingJobOptions>()
            .BindConfiguration(TrainingJobOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var feedback = sp.GetRequiredService<IOptions<FeedbackOptions>>().Value;
            var database = SqlDatabase.Create((DatabaseProvider)feedback.Provider, feedback.ConnectionString, FeedbackOptions.DefaultSqliteFile, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            return new TrainingJobStore(database, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<TrainingJobs>();
        services.AddHostedService<TrainingJobStoreMigrator>();
        services.AddHostedService<TrainingJobWorker>();
        return services;
    }

    /// <summary>Brings the jobs' table up to date before the host serves requests; a database that cannot be reached stops start-up.</summary>
    private sealed class TrainingJobStoreMigrator(TrainingJobStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
