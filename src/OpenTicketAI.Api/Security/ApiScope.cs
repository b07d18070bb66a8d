namespace OpenTicketAI.Api.Security;

/// <summary>What an API key may do. <see cref="Admin"/> implies every other scope.</summary>
public enum ApiScope
{
    /// <summary>Classify tickets: <c>/predict</c>, <c>/models/{name}/predict</c>, reading the model list.</summary>
    Predict,

    /// <summary>Send corrections: <c>/feedback</c>.</summary>
    Feedback,

    /// <summary>Operate the service: reload, promote, roll back, rules dry run, outbox.</summary>
    Admin,

    /// <summary>Start and watch training jobs.</summary>
    Train,

    /// <summary>Read-only monitoring: <c>/metrics</c> (a Prometheus scraper) and <c>/kpis</c> (the dashboard).</summary>
    Metrics,

    /// <summary>Fill knowledge collections: bulk upsert and delete under <c>/knowledge/{collection}/documents</c> (asking them needs <see cref="Predict"/>).</summary>
    Knowledge,
}

public static class ApiScopes
{
    /// <summary>The claim type carrying one scope per claim, in its configured spelling (<c>predict</c>).</summary>
    public const string ClaimType = "scope";

    public static string Name(this ApiScope scope) => scope.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<ApiScope>().Select(Name).ToArray();

    public static bool TryParse(string? value, out ApiScope scope)
    {
        scope = default;
        return value is not null && Names.Contains(value, StringComparer.Ordinal) && Enum.TryParse(value, ignoreCase: true, out scope);
    }

    /// <summary>The scopes a key configured with <paramref name="scopes"/> holds: all of them when one is <c>admin</c>.</summary>
    public static IReadOnlySet<ApiScope> Expand(IEnumerable<ApiScope> scopes)
    {
        var set = scopes.ToHashSet();
        return set.Contains(ApiScope.Admin) ? Enum.GetValues<ApiScope>().ToHashSet() : set;
    }
}
