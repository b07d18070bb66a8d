using System.Globalization;
using System.Text.RegularExpressions;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Feedback.Kpis;

namespace OpenTicketAI.Api.Feedback;

/// <summary>Reads the query of <c>GET /kpis</c>: every mistake is reported against the parameter that holds it.</summary>
public static partial class KpiParameters
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultBucket = TimeSpan.FromDays(1);
    public static readonly TimeSpan MinBucket = TimeSpan.FromMinutes(1);
    public const int MaxBuckets = 2_000;

    public static KpiQuery? Parse(string? from, string? to, string? model, string? bucket, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var end = ParseTime(to, "to", errors) ?? now;
        var start = ParseTime(from, "from", errors) ?? end - DefaultWindow;
        var width = DefaultBucket;
        if (bucket is not null)
        {
            if (ParseDuration(bucket) is { } parsed)
            {
                width = parsed;
            }
            else
            {
                errors["bucket"] = [$"bucket must be a duration such as 15m, 1h, 1d or 01:00:00; got '{Shorten(bucket)}'."];
            }
        }

        if (model is not null && !ModelName.IsValid(model))
        {
            errors["model"] = [$"model must be a model name: {ModelName.Rule}"];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        if (start >= end)
        {
            errors["from"] = [$"from ({start:O}) must be before to ({end:O})."];
        }
        else if (width < MinBucket)
        {
            errors["bucket"] = ["bucket must be at least 1 minute."];
        }
        else if (Math.Ceiling((end - start) / width) > MaxBuckets)
        {
            errors["bucket"] = [$"from..to holds {Math.Ceiling((end - start) / width):0} buckets of {width}; at most {MaxBuckets} are served. Use a wider bucket or a shorter window."];
        }

        return errors.Count > 0 ? null : new KpiQuery(start, end, model, width);
    }

    private static DateTimeOffset? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[name] = [$"{name} must be an ISO 8601 time such as 2026-01-05 or 2026-01-05T09:00:00Z; got '{Shorten(value)}'."];
        return null;
    }

    private static TimeSpan? ParseDuration(string value)
    {
        if (ShortDuration().Match(value.Trim()) is { Success: true } match)
        {
            var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");

    [GeneratedRegex("^(?<amount>[0-9]{1,6})(?<unit>[smhdw])$")]
    private static partial Regex ShortDuration();
}
