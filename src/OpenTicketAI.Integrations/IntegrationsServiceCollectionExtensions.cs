using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Feedback;
using OpenTicketAI.Integrations.FreeScout;
using OpenTicketAI.Integrations.Notifications;
using OpenTicketAI.Integrations.Otobo;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Polling;
using OpenTicketAI.Integrations.Processing;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Storage;
using OpenTicketAI.Integrations.UvDesk;
using OpenTicketAI.Integrations.Zammad;
using OpenTicketAI.Integrations.Znuny;

namespace OpenTicketAI.Integrations;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// Connectors (Zammad, FreeScout, Znuny, OTOBO, UVDesk), pollers, rules, the SQLite outbox and its delivery worker, with every option validated at
    /// start-up. The host registers an <see cref="ITicketClassifierProvider"/> and, to record predictions and help-desk
    /// feedback, the feedback store (<c>AddFeedbackStore</c>; without one nothing is recorded). Rules come from <c>Integrations:Rules</c> and
    /// <c>Integrations:Review</c>, or from the JSON file named by <c>Integrations:RulesFile</c> (relative to <paramref name="contentRoot"/>).
    /// </summary>
    public static IServiceCollection AddOpenTicketAiIntegrations(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient();

        services.AddOptions<IntegrationsOptions>().Bind(configuration.GetSection(IntegrationsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntegrationsOptions>, IntegrationsOptionsValidator>();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<RulesOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<RulesOptions>>(sp => new ConfigureNamedOptions<RulesOptions>(
            Options.DefaultName,
            options => LoadRules(options, configuration, sp.GetService<IHostEnvironment>()?.ContentRootPath ?? contentRoot)));
        services.AddSingleton<IValidateOptions<RulesOptions>, RulesOptionsValidator>();
        services.AddSingleton(sp => new RuleEngine(RuleSet.Compile(
            sp.GetRequiredService<IOptions<RulesOptions>>().Value,
            sp.GetRequiredService<IOptions<IntegrationsOptions>>().Value.Notifications.Keys,
            out _)));

        services.AddOptions<ZammadOptions>().Bind(configuration.GetSection(ZammadOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZammadOptions>, ZammadOptionsValidator>();
        services.AddOptions<FreeScoutOptions>().Bind(configuration.GetSection(FreeScoutOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FreeScoutOptions>, FreeScoutOptionsValidator>();
        services.AddSingleton<IHelpDeskConnector, ZammadConnector>();
        services.AddSingleton<IHelpDeskConnector, FreeScoutConnector>();
        services.AddOptions<ZnunyOptions>().Bind(configuration.GetSection(ZnunyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZnunyOptions>, ZnunyOptionsValidator>();
        services.AddOptions<OtoboOptions>().Bind(configuration.GetSection(OtoboOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtoboOptions>, OtoboOptionsValidator>();
        services.AddOptions<UvDeskOptions>().Bind(configuration.GetSection(UvDeskOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UvDeskOptions>, UvDeskOptionsValidator>();
        services.AddSingleton<IHelpDeskConnector, ZnunyConnector>();
        services.AddSingleton<IHelpDeskConnector, OtoboConnector>();
        services.AddSingleton<UvDeskConnector>();
        services.AddSingleton<IHelpDeskConnector>(sp => sp.GetRequiredService<UvDeskConnector>());
        services.AddSingleton<IPollingSource>(sp => sp.GetRequiredService<UvDeskConnector>());
        services.AddSingleton<IPollingSource, ZammadPollingSource>();
        services.AddSingleton<HelpDeskRegistry>();

        services.AddIntegrationStorage(contentRoot);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IntegrationMetrics>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, OutboxHttpClients>();
        services.AddSingleton<FeedbackRecorder>();
        services.AddSingleton<TicketEventProcessor>();
        services.AddHostedService<OutboxWorker>();
        services.AddSingleton<SynchronousResponses>();
        services.AddSingleton<TicketPoller>();
        services.AddHostedService<PollingWorker>();
        return services;
    }

    /// <summary>Binds rules from <c>Integrations</c>, or from <c>Integrations:RulesFile</c> when set; a missing or broken file is reported by validation.</summary>
    private static void LoadRules(RulesOptions options, IConfiguration configuration, string contentRoot)
    {
        IConfiguration root = configuration.GetSection(IntegrationsOptions.SectionName);
        options.Source = IntegrationsOptions.SectionName;
        var file = configuration[$"{IntegrationsOptions.SectionName}:{nameof(IntegrationsOptions.RulesFile)}"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = Path.GetFullPath(file, contentRoot);
            options.Source = path;
            try
            {
                root = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
            }
            catch (Exception ex) when (ex is IOException or FormatException or InvalidDataException)
            {
                options.LoadError = $"Integrations:RulesFile {path} cannot be read: {ex.Message}";
                return;
            }
        }

        root.GetSection("Rules").Bind(options.Rules);
        root.GetSection("Review").Bind(options.Review);
    }
}
