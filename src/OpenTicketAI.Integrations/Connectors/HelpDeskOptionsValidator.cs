using System.Globalization;
using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Rules;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>A connector's options: its configured instances.</summary>
public interface IHelpDeskOptions<TInstance>
    where TInstance : HelpDeskInstanceOptions
{
    List<TInstance> Instances { get; }
}

/// <summary>
/// Start-up checks of one connector's instances: the checks every connector shares (<see cref="HelpDeskInstanceValidation"/>,
/// with the review queue from the rules) and the connector's own, each message naming the configuration key.
/// </summary>
public abstract class HelpDeskOptionsValidator<TOptions, TInstance>(IOptions<RulesOptions> rules, string section) : IValidateOptions<TOptions>
    where TOptions : class, IHelpDeskOptions<TInstance>
    where TInstance : HelpDeskInstanceOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = new List<string>();
        var review = string.IsNullOrWhiteSpace(rules.Value.Review.Queue) ? null : rules.Value.Review.Queue.Trim();
        HelpDeskInstanceValidation.Validate(section, options.Instances, review, errors);
        for (var i = 0; i < options.Instances.Count; i++)
        {
            ValidateInstance($"{section}:Instances:{i.ToString(CultureInfo.InvariantCulture)}", options.Instances[i], errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The connector's own checks of one instance (enabled or not); <paramref name="key"/> is its configuration key.</summary>
    protected abstract void ValidateInstance(string key, TInstance instance, List<string> errors);
}
