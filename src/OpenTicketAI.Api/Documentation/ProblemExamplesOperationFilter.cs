using System.Globalization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenTicketAI.Api.Documentation;

/// <summary>Gives every documented error response an example problem, and describes the <c>topK</c> and <c>name</c> parameters.</summary>
public sealed class ProblemExamplesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400 || response.Content is null)
            {
                continue;
            }

            foreach (var media in response.Content.Values)
            {
                media.Example = ApiExamples.Problem(status, context.ApiDescription.RelativePath ?? string.Empty);
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Description ??= parameter.Name switch
            {
                "topK" => "How many alternatives to list per head: 1 to 20, default 3 (Predict:DefaultTopK).",
                "name" => "The model's directory name under the models directory.",
                "from" => "Start of the window (inclusive), ISO 8601, e.g. 2025-11-01 or 2025-11-01T00:00:00Z; default: 30 days before `to`.",
                "to" => "End of the window (exclusive), ISO 8601; default: now.",
                "model" => "Only this model's predictions (every version); default: all models.",
                "bucket" => "Width of each point of `series`: 15m, 1h, 1d, 1w or 01:00:00; at least 1 minute, at most 2000 buckets; default 1d.",
                _ => null,
            };
        }
    }
}
