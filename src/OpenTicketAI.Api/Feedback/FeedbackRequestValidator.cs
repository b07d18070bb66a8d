using FluentValidation;

namespace OpenTicketAI.Api.Feedback;

public sealed class FeedbackRequestValidator : AbstractValidator<FeedbackRequest>
{
    public const int MaxTicketIdChars = 200;
    public const int MaxSourceChars = 100;
    public const int MaxHeadChars = 100;
    public const int MaxLabelChars = 200;
    public const int MaxActorChars = 200;

    /// <summary>Clocks differ; a correction dated further ahead than this is a mistake.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);

    public FeedbackRequestValidator(TimeProvider time)
    {
        Required(r => r.TicketId, "ticketId", MaxTicketIdChars);
        Required(r => r.Head, "head", MaxHeadChars);
        Required(r => r.Label, "label", MaxLabelChars);

        RuleFor(r => r.Source)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("source must not be empty; leave it out for tickets classified through POST /predict (source 'api').")
            .Must(s => s!.Length <= MaxSourceChars).WithMessage($"source may have at most {MaxSourceChars} characters.")
            .When(r => r.Source is not null)
            .OverridePropertyName("source");

        RuleFor(r => r.Actor)
            .Must(a => a!.Length <= MaxActorChars).WithMessage($"actor may have at most {MaxActorChars} characters.")
            .When(r => r.Actor is not null)
            .OverridePropertyName("actor");

        RuleFor(r => r.At)
            .Must(at => at <= time.GetUtcNow() + MaxClockSkew).WithMessage("at lies more than a day in the future.")
            .When(r => r.At is not null)
            .OverridePropertyName("at");
    }

    private void Required(System.Linq.Expressions.Expression<Func<FeedbackRequest, string?>> field, string name, int maxChars) =>
        RuleFor(field)
            .Cascade(CascadeMode.Stop)
            .Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"{name} is required.")
            .Must(v => v!.Length <= maxChars).WithMessage(r => $"{name} may have at most {maxChars} characters.")
            .OverridePropertyName(name);
}
