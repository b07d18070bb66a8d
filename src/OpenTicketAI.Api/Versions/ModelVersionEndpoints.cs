using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Api.Hosting;

namespace OpenTicketAI.Api.Versions;

public static class ModelVersionEndpoints
{
    public static IEndpointRouteBuilder MapModelVersionEndpoints(this IEndpointRouteBuilder app)
    {
        var model = app.MapGroup("/models/{name}").WithTags("Model versions").RequireScope(ApiScope.Admin).AddEndpointFilter<ModelNameFilter>();
        model.MapGet("/versions", ListVersions)
            .WithName("ListModelVersions")
            .WithSummary("List a model's versions: held-out metrics, shadow evaluation, which is active and which was before")
            .WithDescription("A flat model directory (model.json directly under models/<name>) is listed as its single, active version.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        model.MapPost("/versions/{version}/promote", PromoteVersion)
            .AddEndpointFilter<VersionNameFilter>()
            .WithName("PromoteModelVersion")
            .WithSummary("Serve this version from now on")
            .WithDescription("The version is loaded beside the served one and swapped in only if it loads; requests in flight finish on the old one. A version that fails to load is refused with 422 and the active version keeps serving. A version without some head the served one has (GET /models/{name}/versions shows it under againstActive.dropped) is refused with 409 unless allowDroppedHeads=true: /predict would stop answering those heads.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        model.MapPost("/rollback", Rollback)
            .WithName("RollbackModel")
            .WithSummary("Serve the previous version again")
            .WithDescription("Swaps the active and the previous version, so a second rollback undoes the first. 409 when there is no previous version.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static Results<Ok<ModelVersionList>, ProblemHttpResult> ListVersions(string name, ModelVersions versions, ModelStore store) =>
        versions.List(name) is { } list ? TypedResults.Ok(list) : ModelProblems.NotFound(name, store);

    private static async Task<Results<Ok<VersionSwitched>, ProblemHttpResult>> PromoteVersion(
        string name, string version, [FromQuery] bool? allowDroppedHeads, ModelVersions versions, ModelStore store, CancellationToken cancellationToken) =>
        ToResponse(await versions.PromoteAsync(name, version, allowDroppedHeads ?? false, cancellationToken), name, version, store);

    private static async Task<Results<Ok<VersionSwitched>, ProblemHttpResult>> Rollback(string name, ModelVersions versions, ModelStore store, CancellationToken cancellationToken) =>
        ToResponse(await versions.RollbackAsync(name, cancellationToken), name, null, store);

    private static Results<Ok<VersionSwitched>, ProblemHttpResult> ToResponse(VersionSwitchResult result, string name, string? version, ModelStore store) => result.Outcome switch
    {
        VersionSwitchOutcome.Switched or VersionSwitchOutcome.Unchanged when result.Switched is { } switched => TypedResults.Ok(switched),
        VersionSwitchOutcome.ModelNotFound => ModelProblems.NotFound(name, store),
        VersionSwitchOutcome.VersionNotFound => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Model version not found.",
            detail: $"Model '{name}' has no version '{version}'. GET /models/{name}/versions lists them.",
            extensions: new Dictionary<string, object?> { ["model"] = name, ["version"] = version }),
        VersionSwitchOutcome.DropsHeads => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The version drops heads the served version answers.",
            detail: result.Error,
            extensions: new Dictionary<string, object?> { ["model"] = name, ["version"] = version, ["servingVersion"] = result.ServingVersion, ["droppedHeads"] = result.Heads?.Dropped, ["addedHeads"] = result.Heads?.Added }),
        VersionSwitchOutcome.NoPrevious => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "No previous version to roll back to.",
            detail: result.Error ?? $"Model '{name}' has no previous version: it has not been switched since it became versioned.",
            extensions: new Dictionary<string, object?> { ["model"] = name, ["servingVersion"] = result.ServingVersion }),
        _ => TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The model version could not be loaded.",
            detail: result.Error,
            extensions: new Dictionary<string, object?> { ["model"] = name, ["version"] = version, ["servingVersion"] = result.ServingVersion }),
    };
}

/// <summary>Answers 400 for a <c>{version}</c> route value that is not a plain version name ('..', slashes, hidden names), before any handler looks it up.</summary>
public sealed class VersionNameFilter : IEndpointFilter
{
    public const string RouteValue = "version";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var version = context.HttpContext.GetRouteValue(RouteValue) as string;
        if (!VersionName.IsValid(version))
        {
            return ValidationProblems.Create(RouteValue, $"'{version}' is not a valid version. {VersionName.Rule}");
        }

        return await next(context);
    }
}
