using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using OpenTicketAI.Api.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenTicketAI.Api.Documentation;

/// <summary>Marks every operation that needs a key with both key schemes, its scope, and the 401/403/429 answers.</summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public const string BearerScheme = "Bearer";
    public const string HeaderScheme = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        var scopes = metadata.OfType<RequiredScopeMetadata>().Select(m => m.Scope.Name()).Distinct().ToList();
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = scopes });
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = scopes });
        if (scopes.Count > 0)
        {
            operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? string.Empty : " ")}Needs an API key with the scope '{string.Join("', '", scopes)}' (or 'admin').";
        }

        operation.Responses ??= [];
        foreach (var (status, description) in new[] { ("401", "No API key, or an invalid one."), ("403", "The key lacks the scope."), ("429", "Too many requests from this client; see Retry-After.") })
        {
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Example = ApiExamples.Problem(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture)) } },
            });
        }
    }
}
