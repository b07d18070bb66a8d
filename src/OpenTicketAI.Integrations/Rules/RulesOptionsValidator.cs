using Microsoft.Extensions.Options;

namespace OpenTicketAI.Integrations.Rules;

/// <summary>Compiles the rules at start-up (<c>ValidateOnStart</c>): a rule that does not parse stops the host with every problem listed.</summary>
public sealed class RulesOptionsValidator(IOptions<IntegrationsOptions> integrations) : IValidateOptions<RulesOptions>
{
    public ValidateOptionsResult Validate(string? name, RulesOptions options)
    {
        if (options.LoadError is not null)
        {
            return ValidateOptionsResult.Fail(options.LoadError);
        }

        RuleSet.Compile(options, integrations.Value.Notifications.Keys, out var errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks the shared settings: notification URLs.</summary>
public sealed class IntegrationsOptionsValidator : IValidateOptions<IntegrationsOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrationsOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Integrations:DataDirectory is required: the directory of the outbox database.");
        }

        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"Integrations:Provider must be {string.Join(" or ", Enum.GetNames<OpenTicketAI.Storage.DatabaseProvider>())}.");
        }
        else if (options.Provider == OpenTicketAI.Storage.DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Integrations:ConnectionString is required when Integrations:Provider is PostgreSql (an Npgsql connection string; set it from the environment).");
        }

        foreach (var (target, settings) in options.Notifications)
        {
            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Integrations:Notifications:{target}:Url must be an absolute http(s) URL; got '{settings.Url}'.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
