using OpenTicketAI.Integrations.Corrections;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.Tests.Corrections;

/// <summary>The rule that maps a help-desk value back to a model label (documented in docs/integrations/feedback.md).</summary>
public sealed class ReverseMappingTests
{
    private static readonly ZammadInstanceOptions Instance = new()
    {
        Name = "main",
        Mappings = new()
        {
            Queues = new(StringComparer.OrdinalIgnoreCase)
            {
                ["Billing and Payments"] = "Billing",
                ["Returns and Exchanges"] = "Billing",
                ["Technical Support"] = "Support",
                ["Needs Review"] = "Triage",
            },
            Priorities = new(StringComparer.OrdinalIgnoreCase) { ["High"] = "3 high", ["Critical"] = "4 urgent", ["Urgent"] = "4 urgent" },
        },
    };

    [Theory]
    [InlineData("queue", "Support", "Billing and Payments", "Technical Support")] // one label behind the value
    [InlineData("queue", "support", null, "Technical Support")] // values compare case-insensitively
    [InlineData("queue", "Billing", "Returns and Exchanges", "Returns and Exchanges")] // shared value: the prediction agrees
    [InlineData("queue", "Billing", "Technical Support", null)] // shared value, prediction elsewhere: ambiguous
    [InlineData("queue", "Triage", "Technical Support", null)] // the review queue is no label
    [InlineData("queue", "Marketing", "Technical Support", null)] // unmapped
    [InlineData("priority", "3 high", "Low", "High")]
    [InlineData("priority", "4 urgent", "urgent", "urgent")] // the prediction's own spelling is kept
    public void A_help_desk_value_maps_back_to_the_single_label_behind_it_or_to_none(string head, string value, string? predicted, string? expected) =>
        Assert.Equal(expected, CorrectionRecorder.LabelFor(head, value, predicted, Instance, reviewQueue: "Needs Review"));
}
