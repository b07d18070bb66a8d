using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTicketAI.Api.Limits;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Limits;

/// <summary>Rate limit per client, the bounded queue in front of the model, and the request timeout.</summary>
[Collection(ApiCollection.Name)]
public sealed class LimitsTests(ApiFixture api)
{
    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_while_other_clients_and_probes_go_on()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required(new()
        {
            ["Limits:RateLimit:Enabled"] = "true",
            ["Limits:RateLimit:TokenLimit"] = "3",
            ["Limits:RateLimit:TokensPerPeriod"] = "1",
            ["Limits:RateLimit:ReplenishmentPeriod"] = "00:01:00",
        }));
        using var helpdesk = factory.CreateClient().WithBearer(TestApiKeys.Predict);
        using var ops = factory.CreateClient().WithBearer(TestApiKeys.Admin);
        await factory.WaitUntilReadyAsync();

        for (var i = 0; i < 3; i++)
        {
            await (await helpdesk.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        }

        var refused = await helpdesk.PredictAsync(Tickets.Billing());

        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Limits:RateLimit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        await (await ops.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await helpdesk.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task Requests_without_a_key_share_the_rate_of_their_address()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Limits:RateLimit:Enabled"] = "true",
            ["Limits:RateLimit:TokenLimit"] = "2",
            ["Limits:RateLimit:TokensPerPeriod"] = "1",
            ["Limits:RateLimit:ReplenishmentPeriod"] = "00:01:00",
        });
        using var first = factory.CreateClient();
        using var second = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        await (await first.PredictAsync(Tickets.Billing())).ReadJsonAsync();
        await (await second.PredictAsync(Tickets.Billing())).ReadJsonAsync();

        await (await first.PredictAsync(Tickets.Billing())).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_full_prediction_queue_answers_503_with_retry_after_and_a_queued_request_runs_once_a_permit_frees()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Limits:MaxConcurrentPredictions"] = "1",
            ["Limits:MaxQueuedPredictions"] = "1",
            ["Limits:SaturatedRetryAfter"] = "00:00:02",
        });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var limiter = factory.Services.GetRequiredService<ModelConcurrencyLimiter>();

        var held = await limiter.AcquireAsync(CancellationToken.None);
        var queued = client.PredictAsync(Tickets.Billing());
        await OpenTicketAI.Testing.Eventually.Async(() => Task.FromResult(limiter.GetStatistics()!.CurrentQueuedCount == 1), TimeSpan.FromSeconds(10), "the first request to queue");
        var refused = await client.PredictAsync(Tickets.Sales());
        Assert.False(queued.IsCompleted);
        held.Dispose();

        var problem = await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The model is saturated.", problem.GetProperty("title").GetString());
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        await (await queued).ReadJsonAsync();
    }

    [Fact]
    public async Task A_request_that_waits_longer_than_the_timeout_gets_504_problem_details()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?>
        {
            ["Limits:MaxConcurrentPredictions"] = "1",
            ["Limits:RequestTimeout"] = "00:00:01",
        });
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();
        var limiter = factory.Services.GetRequiredService<ModelConcurrencyLimiter>();

        using (await limiter.AcquireAsync(CancellationToken.None))
        {
            var response = await client.PredictAsync(Tickets.Billing());

            var problem = await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout);
            Assert.Contains("Limits:RequestTimeout", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync();
    }
}
