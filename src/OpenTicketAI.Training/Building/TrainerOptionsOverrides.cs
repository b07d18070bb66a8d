using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Learning;

namespace OpenTicketAI.Training.Building;

/// <summary>Reads a recipe's <c>trainer</c> object (e.g. <c>{"hiddenDimension": 96, "featurizer": {"buckets": 65536}}</c>) into <see cref="TrainerOptions"/>.</summary>
public static class TrainerOptionsOverrides
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static TrainerOptions FromRecipe(DataRecipe recipe, string origin)
    {
        var options = new TrainerOptions { Seed = recipe.Seed, ModelName = recipe.Name };
        if (recipe.Trainer is null)
        {
            return options;
        }

        var merged = JsonSerializer.SerializeToNode(options, Json)!.AsObject();
        // Nested settings override key by key: {"featurizer": {"buckets": 65536}} keeps the other featurizer defaults.
        foreach (var (key, value) in recipe.Trainer)
        {
            if (value is JsonObject nested && merged[key] is JsonObject defaults)
            {
                foreach (var (innerKey, innerValue) in nested)
                {
                    defaults[innerKey] = innerValue?.DeepClone();
                }
            }
            else
            {
                merged[key] = value?.DeepClone();
            }
        }

        try
        {
            return merged.Deserialize<TrainerOptions>(Json) ?? options;
        }
        catch (JsonException ex)
        {
            throw new TrainingDataException($"{origin}: trainer options at {ex.Path}: {ex.Message}");
        }
    }
}
