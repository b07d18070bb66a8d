using FluentValidation;
using Microsoft.Extensions.Options;

namespace OpenTicketAI.Api.Predictions;

public sealed class PredictRequestValidator : AbstractValidator<PredictRequest>
{
    public const int MaxIdChars = 200;
    public const string NoText = "Either subject or body must contain text; both are empty.";

    public PredictRequestValidator(IOptions<PredictOptions> options)
    {
        var limits = options.Value;

        RuleFor(r => r.Subject)
            .Must((request, _) => HasText(request)).WithMessage(NoText)
            .OverridePropertyName("subject");
        RuleFor(r => r.Body)
            .Must((request, _) => HasText(request)).WithMessage(NoText)
            .OverridePropertyName("body");

        RuleFor(r => r.Subject)
            .Must(s => s!.Length <= limits.MaxSubjectChars)
            .When(r => r.Subject is not null)
            .WithMessage(r => $"subject has {r.Subject!.Length} characters; at most {limits.MaxSubjectChars} are accepted (Predict:MaxSubjectChars).")
            .OverridePropertyName("subject");

        RuleFor(r => r.Body)
            .Must(b => b!.Length <= limits.MaxBodyChars)
            .When(r => r.Body is not null && limits.OversizeBody == OversizeBodyPolicy.Reject)
            .WithMessage(r => $"body has {r.Body!.Length} characters; at most {limits.MaxBodyChars} are accepted (Predict:MaxBodyChars).")
            .OverridePropertyName("body");

        RuleFor(r => r.Id)
            .Must(id => id!.Length <= MaxIdChars)
            .When(r => r.Id is not null)
            .WithMessage($"id may have at most {MaxIdChars} characters.")
            .OverridePropertyName("id");

        RuleFor(r => r.Language)
            .Matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}$")
            .When(r => !string.IsNullOrEmpty(r.Language))
            .WithMessage("language must be a language tag such as 'en', 'de' or 'pt-BR'.")
            .OverridePropertyName("language");
    }

    private static bool HasText(PredictRequest request) =>
        !string.IsNullOrWhiteSpace(request.Subject) || !string.IsNullOrWhiteSpace(request.Body);
}

public sealed class BatchPredictRequestValidator : AbstractValidator<BatchPredictRequest>
{
    public BatchPredictRequestValidator(IValidator<PredictRequest> ticketValidator, IOptions<PredictOptions> options)
    {
        var maxBatch = options.Value.MaxBatchSize;

        RuleFor(r => r.Tickets)
            .Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("tickets is required: send {\"tickets\": [{\"subject\": \"...\", \"body\": \"...\"}, ...]}.")
            .Must(t => t!.Count > 0).WithMessage("tickets is empty; send at least one ticket.")
            .Must(t => t!.Count <= maxBatch).WithMessage(r => $"tickets holds {r.Tickets!.Count} tickets; at most {maxBatch} are accepted per batch (Predict:MaxBatchSize).")
            .OverridePropertyName("tickets");

        RuleForEach(r => r.Tickets)
            .NotNull().WithMessage("Each entry of tickets must be a ticket object, not null.")
            .SetValidator(ticketValidator!)
            .When(r => r.Tickets is { Count: > 0 } t && t.Count <= maxBatch)
            .OverridePropertyName("tickets");
    }
}

public sealed class PredictQueryValidator : AbstractValidator<PredictQuery>
{
    public PredictQueryValidator()
    {
        RuleFor(q => q.TopK)
            .InclusiveBetween(1, PredictQuery.MaxTopK)
            .When(q => q.TopK is not null)
            .WithMessage(q => $"topK must be between 1 and {PredictQuery.MaxTopK}; got {q.TopK}.")
            .OverridePropertyName("topK");
    }
}
