using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Security;

/// <summary>The caller must hold <see cref="Scope"/>; with a null scope, any valid key will do.</summary>
public sealed class ScopeRequirement(ApiScope? scope) : IAuthorizationRequirement
{
    public ApiScope? Scope { get; } = scope;

    public static string PolicyName(ApiScope scope) => "scope:" + scope.Name();
}

/// <summary>Satisfies <see cref="ScopeRequirement"/> from the key's scope claims, or always when keys are not required.</summary>
public sealed class ScopeAuthorizationHandler(IOptions<SecurityOptions> options) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (!options.Value.RequireApiKeys
            || (context.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName }
                && (requirement.Scope is not { } scope || context.User.HasClaim(ApiScopes.ClaimType, scope.Name()))))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata naming the scope an endpoint needs, for the OpenAPI document.</summary>
public sealed record RequiredScopeMetadata(ApiScope Scope);
