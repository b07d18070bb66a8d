using Microsoft.Extensions.Options;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Integrations.Tests.Infrastructure;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Integrations.Tests.Rules;

/// <summary>Broken rules and settings stop the host at start-up with every problem named by its configuration key.</summary>
[Collection(ModelCollection.Name)]
public sealed class RulesValidationTests(TrainedModel model)
{
    [Fact]
    public async Task Invalid_rules_stop_the_host_at_start_up_listing_every_problem()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Integrations:Rules:0:Name"] = "escalate",
            ["Integrations:Rules:0:When"] = "priority = 'High'",
            ["Integrations:Rules:0:Then:0"] = "set priority = 'Urgent'",
            ["Integrations:Rules:1:Name"] = "escalate",
            ["Integrations:Rules:1:When"] = "confidence.queue >= 'high'",
            ["Integrations:Rules:1:Then:0"] = "escalate now",
            ["Integrations:Rules:2:Name"] = "page",
            ["Integrations:Rules:2:When"] = "queue == 'Billing'",
            ["Integrations:Rules:2:Then:0"] = "notify pager",
            ["Integrations:Rules:3:Name"] = "review",
            ["Integrations:Rules:3:When"] = "needsReview",
            ["Integrations:Rules:3:Then:0"] = "route to review",
            ["Integrations:Review:Thresholds:queue"] = "1.5",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(model.Provider, data.Path, settings));

        Assert.Contains("Integrations:Rules:0 ('escalate'): When \"priority = 'High'\": at position 10: '=' is not an operator; compare with '=='.", error.Failures);
        Assert.Contains("Integrations:Rules:1:Name 'escalate' is used by an earlier rule; rule names must be unique.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Integrations:Rules:1 ('escalate'): When \"confidence.queue >= 'high'\"", StringComparison.Ordinal) && f.Contains("compare it with a number", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Integrations:Rules:1 ('escalate'): Then:0 \"escalate now\"", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("notification target 'pager' is not configured under Integrations:Notifications (none are configured)", StringComparison.Ordinal));
        Assert.Contains("Integrations:Review:Queue is required: a rule routes to review.", error.Failures);
        Assert.Contains("Integrations:Review:Thresholds:queue must be between 0 and 1; got 1.5.", error.Failures);
    }

    [Fact]
    public async Task Instance_settings_are_checked_at_start_up()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Integrations:Review:Queue"] = "Needs Review",
            ["Integrations:Review:Thresholds:queue"] = "0.6",
            ["Integrations:Zammad:Instances:0:Name"] = "main desk",
            ["Integrations:Zammad:Instances:0:Enabled"] = "true",
            ["Integrations:Zammad:Instances:0:BaseUrl"] = "zammad.example.com",
            ["Integrations:Zammad:Instances:0:Heads:0"] = "sentiment",
            ["Integrations:FreeScout:Instances:0:Name"] = "main",
            ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
            ["Integrations:FreeScout:Instances:0:BaseUrl"] = "https://freescout.example.com",
            ["Integrations:FreeScout:Instances:0:Mappings:Queues:Billing"] = "Billing",
            ["Integrations:FreeScout:Instances:0:Mappings:Queues:Needs Review"] = "3",
            ["Integrations:Notifications:chat:Url"] = "not a url",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(model.Provider, data.Path, settings));
        var all = string.Join("\n", error.Failures);

        Assert.Contains("Integrations:Notifications:chat:Url must be an absolute http(s) URL; got 'not a url'.", all, StringComparison.Ordinal);
        var zammad = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(model.Provider, data.Path, Without(settings, "Integrations:Notifications:chat:Url")));
        var messages = string.Join("\n", zammad.Failures);
        Assert.Contains("Integrations:Zammad:Instances:0:Name must be 1 to 64 letters", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:Zammad:Instances:0:Heads: 'sentiment' cannot be written back", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:Zammad:Instances:0:BaseUrl must be an absolute http(s) URL", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:Zammad:Instances:0:Mappings:Queues has no entry for the review queue 'Needs Review'", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:Zammad:Instances:0:Token is required", messages, StringComparison.Ordinal);
        Assert.Contains("OTAI__Integrations__Zammad__Instances__0__Token", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:Zammad:Instances:0:WebhookSecret is required", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreeScout_settings_are_checked_at_start_up()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Integrations:FreeScout:Instances:0:Name"] = "main",
            ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
            ["Integrations:FreeScout:Instances:0:BaseUrl"] = "https://freescout.example.com",
            ["Integrations:FreeScout:Instances:0:Mappings:Queues:Billing"] = "Billing",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(model.Provider, data.Path, settings));
        var messages = string.Join("\n", error.Failures);

        Assert.Contains("Integrations:FreeScout:Instances:0:Mappings:Queues:Billing must be a FreeScout mailbox id (a positive number); got 'Billing'.", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:FreeScout:Instances:0:ApiKey is required", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:FreeScout:Instances:0:WebhookSecret (or AppKey) is required", messages, StringComparison.Ordinal);
        Assert.Contains("Integrations:FreeScout:Instances:0:UserId is required", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_can_come_from_a_rules_file_and_its_errors_name_the_file()
    {
        using var data = new TempDirectory();
        data.Write("rules.json", """
            {
              "Review": { "Queue": "Needs Review" },
              "Rules": [
                { "Name": "vip", "When": "sentiment == 'Negative'", "Then": [ "add tag VIP_Attention" ] },
                { "Name": "broken", "When": "sentiment ==", "Then": [ "add tag x" ] }
              ]
            }
            """);
        var settings = new Dictionary<string, string?> { ["Integrations:RulesFile"] = "rules.json" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(model.Provider, data.Path, settings));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"{data.Combine("rules.json")}:Rules:1 ('broken'): When \"sentiment ==\": at position 13: expected a value", failure, StringComparison.Ordinal);

        data.Write("rules.json", """{ "Rules": [ { "Name": "vip", "When": "sentiment == 'Negative'", "Then": [ "add tag VIP_Attention" ] } ] }""");
        await using var host = await IntegrationHost.StartAsync(model.Provider, data.Path, settings);
        var rules = (RuleEngine)host.Services.GetService(typeof(RuleEngine))!;
        Assert.Equal("vip", Assert.Single(rules.RuleSet.Rules).Name);
    }

    [Fact]
    public async Task A_missing_rules_file_stops_the_host()
    {
        using var data = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IntegrationHost.StartAsync(
            model.Provider, data.Path, new Dictionary<string, string?> { ["Integrations:RulesFile"] = "missing.json" }));

        Assert.Contains("Integrations:RulesFile", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.Contains("missing.json", error.Failures.Single(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Without(Dictionary<string, string?> settings, string key) =>
        settings.Where(s => s.Key != key).ToDictionary(s => s.Key, s => s.Value);
}
