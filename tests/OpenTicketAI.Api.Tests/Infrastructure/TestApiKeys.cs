using System.Net.Http.Headers;
using OpenTicketAI.Core.Security;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>Keys for hosts that require them, configured as the service expects: hashed, per client, with scopes.</summary>
public static class TestApiKeys
{
    public const string Predict = "otai_test-predict-key-0123456789abcdefghijklmnop";
    public const string Admin = "otai_test-admin-key-0123456789abcdefghijklmnopq";
    public const string Feedback = "otai_test-feedback-key-0123456789abcdefghijklmn";
    public const string Metrics = "otai_test-metrics-key-0123456789abcdefghijklmno";

    /// <summary>Keys required (as outside Development): <c>helpdesk</c> may predict, <c>ops</c> is admin, <c>agents</c> may send feedback, <c>prometheus</c> reads metrics and KPIs.</summary>
    public static Dictionary<string, string?> Required(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Security:RequireApiKeys"] = "true",
            ["Security:ApiKeys:0:Client"] = "helpdesk",
            ["Security:ApiKeys:0:Hash"] = ApiKeys.Hash(Predict),
            ["Security:ApiKeys:0:Scopes:0"] = "predict",
            ["Security:ApiKeys:1:Client"] = "ops",
            ["Security:ApiKeys:1:Hash"] = ApiKeys.Hash(Admin),
            ["Security:ApiKeys:1:Scopes:0"] = "admin",
            ["Security:ApiKeys:2:Client"] = "agents",
            ["Security:ApiKeys:2:Hash"] = ApiKeys.Hash(Feedback),
            ["Security:ApiKeys:2:Scopes:0"] = "feedback",
            ["Security:ApiKeys:3:Client"] = "prometheus",
            ["Security:ApiKeys:3:Hash"] = ApiKeys.Hash(Metrics),
            ["Security:ApiKeys:3:Scopes:0"] = "metrics",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static HttpClient WithBearer(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
