using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenTicketAI.Core.Models;

/// <summary>The one JSON style of every file a model directory holds.</summary>
public static class ModelJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };
}
