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
                media.Example = ApiExamples.Problem(status);
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Description ??= parameter.Name switch
            {
                "topK" => "How many alternatives to list per head: 1 to 20, default 3 (Predict:DefaultTopK).",
                "name" => "The model's directory name under the models directory.",
                _ => null,
            };
        }
    }
}
