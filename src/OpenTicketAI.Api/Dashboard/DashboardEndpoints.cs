using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenTicketAI.Api.Dashboard;

/// <summary>
/// The dashboard, embedded in the assembly so nothing is fetched from elsewhere: <c>/dashboard</c> (KPIs from
/// <c>GET /kpis</c>, drawn with the vendored Chart.js, and each model's versions with the heads a candidate adds or drops)
/// and <c>/dashboard/knowledge</c> (collections, similar tickets, suggested replies, articles and FAQ gaps).
/// </summary>
public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    private const string ResourcePrefix = "Dashboard/";
    private const string Page = "index.html";
    private const string Html = "text/html; charset=utf-8";
    private const string Script = "text/javascript; charset=utf-8";

    // Only these names are served (name -> embedded file, content type); a request never reaches the resource lookup with a name of its own.
    private static readonly FrozenDictionary<string, (string File, string ContentType)> Assets = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["knowledge"] = ("knowledge.html", Html),
        ["dashboard.js"] = ("dashboard.js", Script),
        ["versions.js"] = ("versions.js", Script),
        ["knowledge.js"] = ("knowledge.js", Script),
        ["common.js"] = ("common.js", Script),
        ["dashboard.css"] = ("dashboard.css", "text/css; charset=utf-8"),
        ["chart.umd.min.js"] = ("chart.umd.min.js", Script),
        ["chart.js.LICENSE.md"] = ("chart.js.LICENSE.md", "text/markdown; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // A page for people, not part of the REST API: left out of the OpenAPI document.
        // The pages and their assets hold no data; the data endpoints need a key with their scope (metrics, admin, predict), which the pages ask for.
        var group = app.MapGroup(Path).ExcludeFromDescription().AllowAnonymous();
        group.MapGet(string.Empty, GetPage).WithName("Dashboard");
        group.MapGet("/{file}", GetAsset).WithName("DashboardAsset");
        return app;
    }

    private static FileStreamHttpResult GetPage(HttpContext context) => Serve(context, Page, Html);

    private static Results<FileStreamHttpResult, NotFound> GetAsset(string file, HttpContext context) =>
        Assets.TryGetValue(file, out var asset) ? Serve(context, asset.File, asset.ContentType) : TypedResults.NotFound();

    private static FileStreamHttpResult Serve(HttpContext context, string file, string contentType)
    {
        var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"The dashboard asset '{file}' is not embedded in the assembly.");
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(stream, contentType);
    }
}
