using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace OpenTicketAI.Api.Security;

/// <summary>Answers a refused request with problem details: 401 with <c>WWW-Authenticate</c>, or 403 naming the missing scope.</summary>
public sealed partial class ProblemAuthorizationResultHandler(IProblemDetailsService problems, ILogger<ProblemAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    public const string Realm = "open-ticket-ai";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        ProblemDetails problem;
        if (authorizeResult.Forbidden)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>()
                .Select(r => r.Scope?.Name()).OfType<string>().Distinct().ToList() ?? [];
            var scopes = string.Join(", ", missing);
            LogForbidden(logger, context.User.Identity?.Name, context.Request.Path, scopes);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The API key lacks a required scope.",
                Detail = $"Client '{context.User.Identity?.Name}' may not call {context.Request.Method} {context.Request.Path}: it needs the scope '{scopes}'{(missing.Contains(ApiScope.Admin.Name()) ? string.Empty : " (or 'admin')")}.",
                Extensions = { ["missingScopes"] = missing },
            };
        }
        else
        {
            var failure = (await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName)).Failure;
            var detail = failure is null
                ? $"{context.Request.Method} {context.Request.Path} needs an API key: send 'Authorization: Bearer <key>' or '{ApiKeyAuthenticationHandler.HeaderName}: <key>'."
                : $"{failure.Message} Send a key created with 'otai apikey new' as 'Authorization: Bearer <key>' or '{ApiKeyAuthenticationHandler.HeaderName}: <key>'.";
            context.Response.Headers.WWWAuthenticate = failure is null
                ? $"Bearer realm=\"{Realm}\""
                : $"Bearer realm=\"{Realm}\", error=\"invalid_token\"";
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = failure is null ? "An API key is required." : "The API key is not valid.",
                Detail = detail,
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {Client} refused on {Path}: missing scope {Scopes}")]
    private static partial void LogForbidden(ILogger logger, string? client, PathString path, string scopes);
}
