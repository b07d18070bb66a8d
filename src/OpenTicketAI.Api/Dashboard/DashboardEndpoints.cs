using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenTicketAI.Api.Dashboard;

/// <summary>
/// The KPI dashboard at <c>/dashboard</c>: one HTML page, its script and style, and the vendored Chart.js, all embedded
/// in the assembly so nothing is fetched from elsewhere. The page reads <c>GET /kpis</c> and <c>GET /models</c>.
/// </summary>
public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    private const string ResourcePrefix = "Dashboard/";
    private const string Page = "index.html";

    // Only these names are served; a request never reaches the resource lookup with a name of its own.
    private static readonly FrozenDictionary<string, string> Assets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["chart.umd.min.js"] = "text/javascript; charset=utf-8",
        ["chart.js.LICENSE.md"] = "text/markdown; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // A page for people, not part of the REST API: left out of the OpenAPI document.
        // The page and its assets hold no data; the data endpoint (/kpis) needs a key with the metrics scope, which the page asks for.
        var group = app.MapGroup(Path).ExcludeFromDescription().AllowAnonymous();
        group.MapGet(string.Empty, GetPage).WithName("Dashboard");
        group.MapGet("/{file}", GetAsset).WithName("DashboardAsset");
        return app;
    }

    private static FileStreamHttpResult GetPage(HttpContext context) => Serve(context, Page, "text/html; charset=utf-8");

    private static Results<FileStreamHttpResult, NotFound> GetAsset(string file, HttpContext context) =>
        Assets.TryGetValue(file, out var contentType) ? Serve(context, file, contentType) : TypedResults.NotFound();

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
