using OpenTicketAI.Feedback;

namespace OpenTicketAI.Api.Feedback;

public static class FeedbackLoopServiceCollectionExtensions
{
    /// <summary>The feedback store (section <c>Feedback</c>) and the background recording of served predictions.</summary>
    public static WebApplicationBuilder AddFeedbackLoop(this WebApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddFeedbackStore(builder.Configuration);
        builder.Services.AddSingleton<PredictionRecorder>();
        builder.Services.AddHostedService<PredictionRecordingWorker>();
        return builder;
    }
}
