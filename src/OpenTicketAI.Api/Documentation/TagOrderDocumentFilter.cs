using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenTicketAI.Api.Documentation;

/// <summary>Lists the tags in Swagger UI by what a reader comes for (predictions first) instead of alphabetically.</summary>
public sealed class TagOrderDocumentFilter : IDocumentFilter
{
    public static readonly IReadOnlyList<string> Order = ["Predictions", "Feedback", "Integrations", "Rules", "Models", "Model versions"];

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var existing = (swaggerDoc.Tags ?? new HashSet<OpenApiTag>()).Where(t => t.Name is not null).ToDictionary(t => t.Name!, StringComparer.Ordinal);
        var used = ((IEnumerable<IOpenApiPathItem>?)swaggerDoc.Paths?.Values ?? [])
            .SelectMany(path => (IEnumerable<OpenApiOperation>?)path.Operations?.Values ?? [])
            .SelectMany(operation => (IEnumerable<OpenApiTagReference>?)operation.Tags ?? [])
            .Select(tag => tag.Name)
            .OfType<string>();
        var ordered = existing.Keys.Union(used, StringComparer.Ordinal)
            .OrderBy(name => Order.Contains(name) ? Order.ToList().IndexOf(name) : Order.Count)
            .ThenBy(name => name, StringComparer.Ordinal)
            .Select(name => existing.TryGetValue(name, out var tag) ? tag : new OpenApiTag { Name = name });

        // A HashSet enumerates in insertion order while nothing is removed, and the serializer writes the set's order.
        swaggerDoc.Tags = new HashSet<OpenApiTag>(ordered);
    }
}
