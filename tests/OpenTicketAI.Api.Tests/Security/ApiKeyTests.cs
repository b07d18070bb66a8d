using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Core.Security;

namespace OpenTicketAI.Api.Tests.Security;

/// <summary>API keys on a host that requires them, as every environment but Development does.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(ApiFixture api)
{
    [Fact]
    public async Task Predict_without_a_key_is_401_problem_details_with_a_bearer_challenge()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var client = factory.CreateClient();

        var response = await client.PredictAsync(Tickets.Billing());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"open-ticket-ai\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization", "Bearer otai_wrong-key")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    [InlineData("X-Api-Key", "otai_wrong-key")]
    [InlineData("X-Api-Key", "x")]
    public async Task A_wrong_key_is_401_with_invalid_token(string header, string value)
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(Tickets.Billing()) };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The API key is not valid.", problem.GetProperty("title").GetString());
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_is_accepted_as_bearer_token_and_as_x_api_key_header()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var bearer = factory.CreateClient().WithBearer(TestApiKeys.Predict);
        using var header = factory.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", TestApiKeys.Predict);

        var first = await (await bearer.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        var second = await (await header.PredictAsync(Tickets.Billing())).ReadJsonAsync();

        Assert.Equal("Billing", first.GetProperty("predictions").GetProperty("queue").GetString());
        Assert.Equal("Billing", second.GetProperty("predictions").GetProperty("queue").GetString());
    }

    [Theory]
    [InlineData("POST", "/models/default/reload")]
    [InlineData("GET", "/integrations/outbox")]
    [InlineData("POST", "/integrations/outbox/1/retry")]
    [InlineData("GET", "/integrations")]
    [InlineData("POST", "/rules/evaluate")]
    public async Task A_predict_key_on_an_admin_endpoint_is_403_naming_the_admin_scope(string method, string path)
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var client = factory.CreateClient().WithBearer(TestApiKeys.Predict);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(Tickets.Billing()) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["admin"], problem.GetProperty("missingScopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("'helpdesk'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feedback_key_may_not_predict_and_an_admin_key_may_do_everything()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var feedback = factory.CreateClient().WithBearer(TestApiKeys.Feedback);
        using var admin = factory.CreateClient().WithBearer(TestApiKeys.Admin);

        var refused = await (await feedback.PredictAsync(Tickets.Billing())).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["predict"], refused.GetProperty("missingScopes").EnumerateArray().Select(s => s.GetString()));

        await (await admin.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        await (await admin.GetAsync("/models")).ReadJsonAsync();
        await (await admin.PostAsync("/models/default/reload", null)).ReadJsonAsync();
        await (await admin.GetAsync("/integrations/outbox")).ReadJsonAsync();
        await (await admin.PostAsJsonAsync("/rules/evaluate", Tickets.Billing())).ReadJsonAsync();
    }

    [Fact]
    public async Task Health_endpoints_and_webhooks_need_no_key()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var client = factory.CreateClient();

        await factory.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        // The webhook is judged by its own signature: an unsigned call to an unknown instance is the webhook's 404, not our 401.
        var webhook = await client.PostAsync("/integrations/zammad/nowhere/webhook", Tickets.Json("{}"));
        var problem = await webhook.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Help-desk instance not found.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_endpoint_without_a_declared_scope_still_needs_a_key()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required());
        using var anonymous = factory.CreateClient();
        using var client = factory.CreateClient().WithBearer(TestApiKeys.Feedback);

        await (await anonymous.GetAsync("/no-such-endpoint")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/no-such-endpoint")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Development_needs_no_key_unless_configured()
    {
        using var response = await api.Client.PostAsync("/models/default/reload", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_up_refuses_to_require_keys_when_none_is_configured()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["Security:RequireApiKeys"] = "true" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(SecurityOptionsValidator.NoKeys, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Security:ApiKeys:0:Hash", "md5:abc", "Security:ApiKeys:0:Hash must be 'sha256:' and 64 hex digits")]
    [InlineData("Security:ApiKeys:0:Scopes:0", "root", "Security:ApiKeys:0:Scopes has 'root'; known scopes are predict, feedback, admin, train, metrics, knowledge.")]
    [InlineData("Security:ApiKeys:0:Client", "", "Security:ApiKeys:0:Client is required")]
    public async Task Start_up_names_a_malformed_key_entry(string key, string value, string message)
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required(new() { [key] = value }));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_stored_as_the_sha256_of_their_utf8_text()
    {
        // Computed with: printf 'otai_known-test-key' | sha256sum
        Assert.Equal("sha256:6c149941bff4b0c81cddadbf242719a0732abce7dc7edd03930c7b04d1e8baf4", ApiKeys.Hash("otai_known-test-key"));
        var key = ApiKeys.NewKey();
        Assert.StartsWith(ApiKeys.Prefix, key, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.Prefix.Length + 43, key.Length);
        Assert.NotEqual(key, ApiKeys.NewKey());
    }

    [Fact]
    public void The_cli_offers_exactly_the_scopes_the_service_knows()
    {
        Assert.Equal(ApiKeys.ScopeNames.Order(StringComparer.Ordinal), ApiScopes.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_declares_both_key_schemes_and_the_scope_of_each_operation()
    {
        var document = JsonDocument.Parse(await api.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        var reload = document.GetProperty("paths").GetProperty("/models/{name}/reload").GetProperty("post");
        Assert.Equal("admin", reload.GetProperty("security")[0].GetProperty("Bearer")[0].GetString());
        Assert.True(reload.GetProperty("responses").TryGetProperty("403", out _));
        var webhook = document.GetProperty("paths").GetProperty("/integrations/{helpdesk}/{instance}/webhook").GetProperty("post");
        Assert.False(webhook.TryGetProperty("security", out _));
    }
}
