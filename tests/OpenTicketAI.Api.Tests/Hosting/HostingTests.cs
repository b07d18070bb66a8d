using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Api.Tests.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace OpenTicketAI.Api.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class HostingTests(ApiFixture api)
{
    [Theory]
    [InlineData("Predict:MaxBatchSize", "0", "Predict:MaxBatchSize must be between 1 and 10000.")]
    [InlineData("OpenTicketAI:DefaultModel", "../etc", "OpenTicketAI:DefaultModel must be a model directory name")]
    [InlineData("OpenTicketAI:IntraOpThreads", "0", "OpenTicketAI:IntraOpThreads must be between 1 and 256.")]
    public async Task Invalid_options_stop_the_host_at_startup_with_a_clear_message(string key, string value, string message)
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_variables_with_the_OTAI_prefix_bind_to_configuration()
    {
        const string Variable = "OTAI__OpenTicketAI__DefaultModel";
        Environment.SetEnvironmentVariable(Variable, "second");
        try
        {
            await using var factory = new ApiFactory(api.Models.SharedModels);
            using var client = factory.CreateClient();
            await factory.WaitUntilReadyAsync();

            var json = await (await client.PredictAsync(Tickets.Billing())).ReadJsonAsync();

            Assert.Equal("second", json.GetProperty("model").GetProperty("name").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Fact]
    public async Task A_server_error_returns_500_problem_details_without_a_stack_trace()
    {
        await using var factory = new ApiFactory(
            api.Models.SharedModels,
            configureServices: services => services.AddSingleton<IValidator<PredictRequest>, ThrowingValidator>());
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var response = await client.PredictAsync(Tickets.Billing());

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(ThrowingValidator.Secret, problem.ToString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task The_request_log_records_lengths_ids_and_model_but_never_ticket_text()
    {
        var sink = new CollectingSink();
        await using var factory = new ApiFactory(
            api.Models.SharedModels,
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" },
            services => services.AddSingleton<ILogEventSink>(sink));
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        await client.PostAsJsonAsync("/predict", new { subject = "SECRET-SUBJECT invoice", body = "SECRET-BODY payment charged twice", id = "T-42" });
        await client.PostAsJsonAsync("/predict", new { subject = 5, body = "SECRET-BODY" });

        var completed = sink.Events
            .Where(e => e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == "\"Serilog.AspNetCore.RequestLoggingMiddleware\"")
            .Where(e => e.Properties["RequestPath"].ToString() == "\"/predict\"")
            .ToList();
        var ok = Assert.Single(completed, e => e.Properties["StatusCode"].ToString() == "200");
        Assert.Equal("22", ok.Properties["SubjectLength"].ToString());
        Assert.Equal("33", ok.Properties["BodyLength"].ToString());
        Assert.Equal("\"T-42\"", ok.Properties["TicketId"].ToString());
        Assert.Equal("\"default\"", ok.Properties["ModelName"].ToString());
        Assert.Equal($"\"{ModelFixture.VersionOne}\"", ok.Properties["ModelVersion"].ToString());
        Assert.Single(completed, e => e.Properties["StatusCode"].ToString() == "400");
        Assert.All(sink.Events, e =>
        {
            var text = e.RenderMessage() + string.Join(" ", e.Properties.Values) + e.Exception;
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        });
    }

    private sealed class ThrowingValidator : AbstractValidator<PredictRequest>
    {
        public const string Secret = "internal-detail-that-must-not-leak";

        public ThrowingValidator() => RuleFor(r => r.Subject).Must(_ => throw new InvalidOperationException(Secret));
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
