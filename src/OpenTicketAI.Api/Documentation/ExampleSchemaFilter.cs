using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Feedback;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Feedback.Kpis;
using OpenTicketAI.Feedback.Recording;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenTicketAI.Api.Documentation;

/// <summary>
/// Attaches the "Cannot access my account" examples (and the feedback and KPI ones) to the request and response schemas.
/// The prediction example is what the served default model answers for that ticket; while it is not loaded, there is none.
/// </summary>
public sealed class ExampleSchemaFilter(PredictionService predictions, ModelStore store, IOptions<JsonOptions> json) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (context.Type == typeof(PredictResponse) && concrete.Properties?.TryGetValue("predictions", out var predictions) == true && predictions is OpenApiSchema labels)
        {
            labels.Description = "Per head of the model: a string for a single-label head (queue, priority, language, sentiment), an array of strings for a multi-label head (tags).";
        }

        concrete.Example = context.Type switch
        {
            _ when context.Type == typeof(PredictRequest) => ApiExamples.PredictRequest(),
            _ when context.Type == typeof(BatchPredictRequest) => ApiExamples.BatchPredictRequest(),
            _ when context.Type == typeof(PredictResponse) => PredictResponseExample(),
            _ when context.Type == typeof(BatchPredictResponse) && PredictResponseExample() is { } example => new JsonObject { ["results"] = new JsonArray(example) },
            _ when context.Type == typeof(FeedbackRequest) => ApiExamples.FeedbackRequest(),
            _ when context.Type == typeof(FeedbackOutcome) => ApiExamples.FeedbackOutcome(),
            _ when context.Type == typeof(KpiReport) => ApiExamples.KpiReport(),
            _ => concrete.Example,
        };
    }

    private JsonNode? PredictResponseExample()
    {
        var outcome = predictions.Predict(store.DefaultModel, [ApiExamples.PredictTicket], topK: null, recordMetrics: false);
        return outcome.Result == ModelLookupResult.Ready ? JsonSerializer.SerializeToNode(outcome.Responses[0], json.Value.SerializerOptions) : null;
    }
}
