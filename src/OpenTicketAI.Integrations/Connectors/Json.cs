using System.Globalization;
using System.Text.Json;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>Lenient readers for help-desk payloads, where ids may be numbers or strings and fields may be missing or null.</summary>
public static class Json
{
    /// <summary>The property as text: strings as they are, numbers in invariant form; null when missing, null or another kind.</summary>
    public static string? Text(this JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    public static bool Flag(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.True;

    /// <summary>The property when it is an object; otherwise an undefined element.</summary>
    public static JsonElement Child(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;

    /// <summary>The property's items when it is an array; otherwise none.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>Serializes a JSON body the way every connector sends it: compact, property names as given.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The property as a point in time (ISO 8601, or <c>yyyy-MM-dd HH:mm:ss</c>); a time without an offset is UTC.</summary>
    public static DateTimeOffset? Time(this JsonElement element, string property) =>
        DateTimeOffset.TryParse(element.Text(property), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;

    public static long? Number(this JsonElement element, string property) =>
        long.TryParse(element.Text(property), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
