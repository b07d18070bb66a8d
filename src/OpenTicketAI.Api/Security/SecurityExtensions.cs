using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Security;

public static class SecurityExtensions
{
    /// <summary>API-key authentication (section <c>Security</c>) and one authorization policy per scope.</summary>
    /// <remarks>
    /// Endpoints without <see cref="RequireScope{TBuilder}"/> or <c>AllowAnonymous()</c> still need a valid key of any scope
    /// (the fallback policy), so an endpoint added without thinking about access is closed, not open.
    /// </remarks>
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddHostedService<OpenAccessWarning>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new ScopeRequirement(null)).Build());
        foreach (var scope in Enum.GetValues<ApiScope>())
        {
            authorization.AddPolicy(ScopeRequirement.PolicyName(scope), policy => policy.AddRequirements(new ScopeRequirement(scope)));
        }

        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>Only callers whose key holds <paramref name="scope"/> (or <c>admin</c>) get through; others get 401/403 problem details.</summary>
    /// <example><c>app.MapGroup("/feedback").RequireScope(ApiScope.Feedback);</c></example>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ScopeRequirement.PolicyName(scope)).WithMetadata(new RequiredScopeMetadata(scope));
}
