using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace OpenTicketAI.Api.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog from the <c>Serilog</c> section. Console output is readable text, or compact JSON when <c>Logging:Format</c> is
    /// <c>json</c> or, with no format set, when running in a container.
    /// </summary>
    public static WebApplicationBuilder AddOpenTicketAiLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            logger.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (UseJson(configuration))
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(new ReadableTextFormatter());
            }
        });
        return builder;
    }

    /// <summary>One event per request with method, path, status and elapsed time, plus what the endpoint added: never ticket text.</summary>
    public static WebApplication UseOpenTicketAiRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") && context.Response.StatusCode < 400 ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
        return app;
    }

    private static bool UseJson(IConfiguration configuration)
    {
        var format = configuration["Logging:Format"];
        if (!string.IsNullOrWhiteSpace(format))
        {
            return format.Equals("json", StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase);
    }
}
