using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Hosting;

public static class HostingExtensions
{
    /// <summary>Environment variables with this prefix override configuration, e.g. <c>OTAI__OpenTicketAI__ModelsPath</c>.</summary>
    public const string EnvironmentPrefix = "OTAI__";

    /// <summary>Configuration sources, validated options, JSON, request limits and graceful shutdown.</summary>
    public static WebApplicationBuilder AddOpenTicketAiHosting(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        builder.Services.AddOptions<OpenTicketAiOptions>()
            .BindConfiguration(OpenTicketAiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<OpenTicketAiOptions>>((host, options) => host.ShutdownTimeout = options.Value.ShutdownTimeout);

        builder.Services.AddOptions<RequestBodyOptions>()
            .BindConfiguration(RequestBodyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<RequestBodyOptions>>((kestrel, options) => kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes);

        builder.Services.Configure<JsonOptions>(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        return builder;
    }
}
