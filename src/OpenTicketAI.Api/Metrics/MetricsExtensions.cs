using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTicketAI.Api.Feedback;
using OpenTicketAI.Api.Knowledge;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Integrations.Outbox;

namespace OpenTicketAI.Api.Metrics;

public static class MetricsExtensions
{
    public const string ScrapePath = "/metrics";

    /// <summary>
    /// OpenTelemetry metrics with a Prometheus exporter: ASP.NET Core request durations, .NET runtime, and our meters
    /// (predictions, served models, KPIs from the feedback store, prediction recording, integrations, knowledge collections). Options in section <c>Metrics</c>.
    /// </summary>
    public static IServiceCollection AddOpenTicketAiMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<PredictionMetrics>();
        services.AddSingleton<ModelInfoMetrics>();
        services.AddSingleton<KpiSnapshot>();
        services.AddSingleton<KpiMetrics>();
        services.AddHostedService<KpiRefreshService>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("open-ticket-ai"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PredictionMetrics.MeterName, ModelInfoMetrics.MeterName, KpiMetrics.MeterName, PredictionRecorder.MeterName, IntegrationMetrics.MeterName, KnowledgeMetrics.MeterName)
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves the Prometheus text exposition at <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        // Observable gauges exist only once their owners are built.
        app.ServiceProvider.GetRequiredService<ModelInfoMetrics>();
        app.ServiceProvider.GetRequiredService<KpiMetrics>();
        app.ServiceProvider.GetService<KnowledgeMetrics>();
        app.MapPrometheusScrapingEndpoint(ScrapePath).ExcludeFromDescription().RequireScope(ApiScope.Metrics);
        return app;
    }
}
