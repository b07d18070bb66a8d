using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenTicketAI.Api.Models;

/// <summary>The problem responses shared by every endpoint that names a model.</summary>
public static class ModelProblems
{
    public static ProblemHttpResult NotFound(string name, ModelStore store) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Model not found.",
        detail: $"No model named '{name}' is served. Served models: {Known(store)}. A model is a subdirectory of the models directory holding a model.json, or an active.json naming one of its version directories.",
        extensions: new Dictionary<string, object?> { ["model"] = name });

    public static ProblemHttpResult Unavailable(string name, string? error) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Model not available.",
        detail: $"Model '{name}' is not loaded: {error ?? "it is still loading"}",
        extensions: new Dictionary<string, object?> { ["model"] = name });

    private static string Known(ModelStore store)
    {
        var names = store.GetStatuses().Select(s => s.Name).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
