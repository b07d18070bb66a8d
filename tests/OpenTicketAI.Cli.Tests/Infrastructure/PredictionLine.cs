using System.Text.Json.Nodes;

namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>One line of <c>otai predict</c> output: the echoed id and, per head, the prediction, confidence and review flag.</summary>
public sealed record PredictionLine(
    string? Id,
    IReadOnlyDictionary<string, JsonNode> Predictions,
    IReadOnlyDictionary<string, double> Confidence,
    IReadOnlyDictionary<string, bool> NeedsReview)
{
    public string Label(string head) => Predictions[head].GetValue<string>();

    public IReadOnlyList<string> Labels(string head) => Predictions[head].AsArray().Select(n => n!.GetValue<string>()).ToArray();

    public static PredictionLine Parse(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        return new PredictionLine(
            json["id"]?.GetValue<string>(),
            Object(json, "predictions").ToDictionary(p => p.Key, p => p.Value!),
            Object(json, "confidence").ToDictionary(p => p.Key, p => p.Value!.GetValue<double>()),
            Object(json, "needsReview").ToDictionary(p => p.Key, p => p.Value!.GetValue<bool>()));
    }

    public static IReadOnlyList<PredictionLine> ParseAll(IEnumerable<string> lines) => lines.Select(Parse).ToArray();

    private static JsonObject Object(JsonObject json, string name) =>
        json[name] as JsonObject ?? throw new FormatException($"the line has no '{name}' object: {json.ToJsonString()}");
}
