using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Corrections;
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
    /// feedback, the feedback store (<c>AddFeedbackStore</c>; without one nothing is recorded), and for suggested replies and
    /// summaries an <see cref="ITicketAnswers"/> (without one they abstain). Rules come from <c>Integrations:Rules</c> and
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

        services.AddHelpDesk<ZammadOptions, ZammadOptionsValidator, ZammadConnector>(configuration, ZammadOptions.SectionName);
        services.AddHelpDesk<FreeScoutOptions, FreeScoutOptionsValidator, FreeScoutConnector>(configuration, FreeScoutOptions.SectionName);
        services.AddHelpDesk<ZnunyOptions, ZnunyOptionsValidator, ZnunyConnector>(configuration, ZnunyOptions.SectionName);
        services.AddHelpDesk<OtoboOptions, OtoboOptionsValidator, OtoboConnector>(configuration, OtoboOptions.SectionName);
        services.AddHelpDesk<UvDeskOptions, UvDeskOptionsValidator, UvDeskConnector>(configuration, UvDeskOptions.SectionName);
        services.AddSingleton<IPollingSource>(sp => sp.GetRequiredService<UvDeskConnector>());
        services.AddSingleton<IPollingSource, ZammadPollingSource>();
        services.AddSingleton<HelpDeskRegistry>();

        services.AddIntegrationStorage(contentRoot);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IntegrationMetrics>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, OutboxHttpClients>();
        services.AddSingleton<CorrectionRecorder>();
        services.TryAddSingleton<ITicketAnswers, NoTicketAnswers>();
        services.AddSingleton<AnswerNotes>();
        services.AddSingleton<TicketEventProcessor>();
        services.AddHostedService<OutboxWorker>();
        services.AddSingleton<SynchronousResponses>();
        services.AddSingleton<TicketPoller>();
        services.AddHostedService<PollingWorker>();
        return services;
    }

    /// <summary>One help desk: its options bound and validated at start-up, and its connector (also as itself, for other roles).</summary>
    private static void AddHelpDesk<TOptions, TValidator, TConnector>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        where TConnector : class, IHelpDeskConnector
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton<TConnector>();
        services.AddSingleton<IHelpDeskConnector>(sp => sp.GetRequiredService<TConnector>());
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
