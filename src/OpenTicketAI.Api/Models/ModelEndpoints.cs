using Microsoft.AspNetCore.Http.HttpResults;
using OpenTicketAI.Api.Security;

namespace OpenTicketAI.Api.Models;

public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/models").WithTags("Models");
        models.MapGet(string.Empty, ListModels)
            .RequireScope(ApiScope.Predict)
            .WithName("ListModels")
            .WithSummary("List the served models")
            .WithDescription("Every subdirectory of the models directory holding a model.json (or an active.json naming a version directory): version, heads and labels, when it was loaded, and the last load error, if any.");

        var model = models.MapGroup("/{name}").AddEndpointFilter<ModelNameFilter>();
        model.MapGet(string.Empty, GetModel)
            .RequireScope(ApiScope.Predict)
            .WithName("GetModel")
            .WithSummary("Describe one model, with its full manifest and held-out metrics")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        model.MapPost("/reload", ReloadModel)
            .RequireScope(ApiScope.Admin)
            .WithName("ReloadModel")
            .WithSummary("Load the model's directory again and serve it if it loads")
            .WithDescription("A model that fails to load never replaces the served one: the answer is 422 with the load error, and the previous version keeps serving.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    private static Ok<ModelList> ListModels(ModelStore store) =>
        TypedResults.Ok(new ModelList(store.DefaultModel, store.GetStatuses().Select(ModelSummary.From).ToList()));

    private static Results<Ok<ModelDetails>, ProblemHttpResult> GetModel(string name, ModelStore store) =>
        store.GetStatus(name) is { } status
            ? TypedResults.Ok(ModelDetails.From(status))
            : ModelProblems.NotFound(name, store);

    private static async Task<Results<Ok<ModelReloaded>, ProblemHttpResult>> ReloadModel(string name, ModelStore store, CancellationToken cancellationToken)
    {
        var result = await store.ReloadAsync(name, cancellationToken);
        return result.Outcome switch
        {
            ModelReloadOutcome.Loaded or ModelReloadOutcome.Unchanged when result.Status is { Manifest: { } manifest, LoadedAt: { } loadedAt } =>
                TypedResults.Ok(new ModelReloaded(name, manifest.Version, result.PreviousVersion, loadedAt)),
            ModelReloadOutcome.NotFound => ModelProblems.NotFound(name, store),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The model could not be loaded.",
                detail: result.Error,
                extensions: new Dictionary<string, object?>
                {
                    ["model"] = name,
                    ["servingVersion"] = result.PreviousVersion,
                }),
        };
    }
}
