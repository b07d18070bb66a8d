using Microsoft.OpenApi;
using OpenTicketAI.Api.Predictions;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenTicketAI.Api.Documentation;

/// <summary>Attaches the "Cannot access my account" examples to the request and response schemas.</summary>
public sealed class ExampleSchemaFilter : ISchemaFilter
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
            _ when context.Type == typeof(PredictResponse) => ApiExamples.PredictResponse(),
            _ when context.Type == typeof(BatchPredictResponse) => ApiExamples.BatchPredictResponse(),
            _ => concrete.Example,
        };
    }
}
