using Microsoft.Extensions.Options;
using OpenTicketAI.Core.Language;

namespace OpenTicketAI.Api.Language;

public static class LanguageServiceCollectionExtensions
{
    /// <summary>
    /// The language identifier (section <c>OpenTicketAI:Language</c>), validated and loaded once at start-up; it answers
    /// <c>predictions.language</c> for every model.
    /// </summary>
    public static IServiceCollection AddLanguageIdentification(this IServiceCollection services)
    {
        services.AddOptions<LanguageOptions>()
            .BindConfiguration(LanguageOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LanguageOptions>, LanguageOptionsValidator>();
        services.AddSingleton(sp => new LanguageIdentifier(sp.GetRequiredService<IOptions<LanguageOptions>>().Value));
        services.AddHostedService<LanguageIdentifierLoader>();
        return services;
    }
}

internal sealed class LanguageOptionsValidator : IValidateOptions<LanguageOptions>
{
    public ValidateOptionsResult Validate(string? name, LanguageOptions options) =>
        options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}

/// <summary>Loads the n-gram models while the host starts, so the first ticket does not wait for them.</summary>
internal sealed class LanguageIdentifierLoader(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<LanguageIdentifier>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
