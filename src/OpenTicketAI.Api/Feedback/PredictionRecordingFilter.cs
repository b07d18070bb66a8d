using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenTicketAI.Api.Predictions;

namespace OpenTicketAI.Api.Feedback;

/// <summary>Hands every successful answer of a predict endpoint to the <see cref="PredictionRecorder"/>, with the time the handler took.</summary>
public sealed class PredictionRecordingFilter(PredictionRecorder recorder) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        switch (answer)
        {
            case Ok<PredictResponse> { Value: { } response }:
                recorder.Record(context.Arguments.OfType<PredictRequest>().Take(1).ToList(), [response], Stopwatch.GetElapsedTime(started));
                break;
            case Ok<BatchPredictResponse> { Value: { } batch }:
                var tickets = context.Arguments.OfType<BatchPredictRequest>().FirstOrDefault()?.Tickets?.OfType<PredictRequest>().ToList() ?? [];
                recorder.Record(tickets, batch.Results, Stopwatch.GetElapsedTime(started));
                break;
        }

        return result;
    }
}

public static class PredictionRecordingFilterExtensions
{
    /// <summary>Records the predictions the endpoints of <paramref name="builder"/> serve (see <see cref="PredictionRecorder"/>).</summary>
    public static TBuilder WithPredictionRecording<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, PredictionRecordingFilter>();
}
