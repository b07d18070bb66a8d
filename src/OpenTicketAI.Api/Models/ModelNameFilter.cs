using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Models;

/// <summary>Answers 400 for a <c>{name}</c> route value that is not a valid model name, before any handler looks it up.</summary>
public sealed class ModelNameFilter : IEndpointFilter
{
    public const string RouteValue = "name";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var name = context.HttpContext.GetRouteValue(RouteValue) as string;
        if (!ModelName.IsValid(name))
        {
            return ValidationProblems.Create(RouteValue, $"'{name}' is not a valid model name. {ModelName.Rule}");
        }

        return await next(context);
    }
}
