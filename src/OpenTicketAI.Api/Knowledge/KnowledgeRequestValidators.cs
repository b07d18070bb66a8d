using FluentValidation;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Predictions;

namespace OpenTicketAI.Api.Knowledge;

public sealed class SimilarRequestValidator : AbstractValidator<SimilarRequest>
{
    public static readonly string[] Modes = ["fused", "lexical", "dense"];

    public SimilarRequestValidator(IOptions<KnowledgeOptions> options, IOptions<PredictOptions> predict)
    {
        var maxTopK = options.Value.MaxTopK;
        this.RuleForText(r => r.Subject, r => r.Body, predict.Value);
        RuleFor(r => r.TopK).InclusiveBetween(1, maxTopK).When(r => r.TopK is not null)
            .WithMessage(r => $"topK must be between 1 and {maxTopK} (Knowledge:MaxTopK); got {r.TopK}.").OverridePropertyName("topK");
        RuleFor(r => r.Mode).Must(m => Modes.Contains(m)).When(r => r.Mode is not null)
            .WithMessage(r => $"mode must be one of {string.Join(", ", Modes)}; got '{r.Mode}'.").OverridePropertyName("mode");
        RuleFor(r => r.Collection).Must(KnowledgeStore.IsName).When(r => r.Collection is not null)
            .WithMessage("collection must be a collection name: a letter or digit, then up to 63 letters, digits, '.', '_' or '-'.").OverridePropertyName("collection");
        RuleFor(r => r.To).GreaterThanOrEqualTo(r => r.From).When(r => r.From is not null && r.To is not null)
            .WithMessage("to must not be before from.").OverridePropertyName("to");
        RuleFor(r => r.Language).Matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}$").When(r => !string.IsNullOrEmpty(r.Language))
            .WithMessage("language must be a language tag such as 'en', 'de' or 'pt-BR'.").OverridePropertyName("language");
    }
}

public sealed class SuggestRequestValidator : AbstractValidator<SuggestRequest>
{
    public SuggestRequestValidator(IOptions<PredictOptions> predict)
    {
        this.RuleForText(r => r.Subject, r => r.Body, predict.Value);
        RuleFor(r => r.Language).Matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}$").When(r => !string.IsNullOrEmpty(r.Language))
            .WithMessage("language must be a language tag such as 'en', 'de' or 'pt-BR'.").OverridePropertyName("language");
    }
}

public sealed class SummarizeRequestValidator : AbstractValidator<SummarizeRequest>
{
    public SummarizeRequestValidator(IOptions<PredictOptions> predict)
    {
        var maxBody = predict.Value.MaxBodyChars;
        RuleFor(r => r.Body).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("body is required: the ticket thread to summarize.")
            .Must(b => b!.Length <= maxBody).WithMessage(r => $"body has {r.Body!.Length} characters; at most {maxBody} are accepted (Predict:MaxBodyChars).")
            .OverridePropertyName("body");
        RuleFor(r => r.MaxSentences).InclusiveBetween(1, 20).When(r => r.MaxSentences is not null)
            .WithMessage(r => $"maxSentences must be between 1 and 20; got {r.MaxSentences}.").OverridePropertyName("maxSentences");
    }
}

public sealed class UpsertDocumentsRequestValidator : AbstractValidator<UpsertDocumentsRequest>
{
    public UpsertDocumentsRequestValidator(IOptions<KnowledgeOptions> options, IOptions<PredictOptions> predict)
    {
        var max = options.Value.MaxDocumentsPerRequest;
        RuleFor(r => r.Documents).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("documents is required: send {\"documents\": [{\"id\": \"...\", \"title\": \"...\", \"body\": \"...\", \"answer\": \"...\"}]}.")
            .Must(d => d!.Count > 0).WithMessage("documents is empty; send at least one document.")
            .Must(d => d!.Count <= max).WithMessage(r => $"documents holds {r.Documents!.Count} documents; at most {max} are accepted per request (Knowledge:MaxDocumentsPerRequest).")
            .OverridePropertyName("documents");
        RuleForEach(r => r.Documents)
            .NotNull().WithMessage("Each entry of documents must be an object, not null.")
            .SetValidator(new DocumentInputValidator(predict.Value)!)
            .When(r => r.Documents is { Count: > 0 } d && d.Count <= max)
            .OverridePropertyName("documents");
    }

    private sealed class DocumentInputValidator : AbstractValidator<DocumentInput>
    {
        public DocumentInputValidator(PredictOptions predict)
        {
            RuleFor(d => d.Id).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("id is required: the document's id (the help desk's ticket id or the article's slug).")
                .MaximumLength(PredictRequestValidator.MaxIdChars).WithMessage($"id may have at most {PredictRequestValidator.MaxIdChars} characters.")
                .OverridePropertyName("id");
            this.RuleForText(d => d.Title, d => d.Body, predict, "title");
            RuleFor(d => d.Language).Matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}$").When(d => !string.IsNullOrEmpty(d.Language))
                .WithMessage("language must be a language tag such as 'en', 'de' or 'pt-BR'.").OverridePropertyName("language");
        }
    }
}

public sealed class DeleteDocumentsRequestValidator : AbstractValidator<DeleteDocumentsRequest>
{
    public DeleteDocumentsRequestValidator(IOptions<KnowledgeOptions> options)
    {
        var max = options.Value.MaxDocumentsPerRequest;
        RuleFor(r => r.Ids).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("ids is required: send {\"ids\": [\"...\"]}.")
            .Must(d => d!.Count > 0).WithMessage("ids is empty; send at least one id.")
            .Must(d => d!.Count <= max).WithMessage(r => $"ids holds {r.Ids!.Count} ids; at most {max} are accepted per request (Knowledge:MaxDocumentsPerRequest).")
            .OverridePropertyName("ids");
        RuleForEach(r => r.Ids).NotEmpty().WithMessage("Each id must be a non-empty string.").OverridePropertyName("ids");
    }
}

public sealed class GapsQueryValidator : AbstractValidator<GapsQuery>
{
    public GapsQueryValidator()
    {
        RuleFor(q => q.Days).InclusiveBetween(1, 365).When(q => q.Days is not null).WithMessage(q => $"days must be between 1 and 365; got {q.Days}.").OverridePropertyName("days");
        RuleFor(q => q.MinSize).InclusiveBetween(1, 1000).When(q => q.MinSize is not null).WithMessage(q => $"minSize must be between 1 and 1000; got {q.MinSize}.").OverridePropertyName("minSize");
    }
}

internal static class TextRules
{
    /// <summary>Subject (or title) and body: at least one holds text, each within the /predict limits.</summary>
    public static void RuleForText<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> subject, System.Linq.Expressions.Expression<Func<T, string?>> body, PredictOptions limits, string subjectName = "subject")
    {
        var readSubject = subject.Compile();
        var readBody = body.Compile();
        bool HasText(T request) => !string.IsNullOrWhiteSpace(readSubject(request)) || !string.IsNullOrWhiteSpace(readBody(request));
        var noText = $"Either {subjectName} or body must contain text; both are empty.";
        validator.RuleFor(subject).Must((request, _) => HasText(request)).WithMessage(noText).OverridePropertyName(subjectName);
        validator.RuleFor(body).Must((request, _) => HasText(request)).WithMessage(noText).OverridePropertyName("body");
        validator.RuleFor(subject).Must(s => s!.Length <= limits.MaxSubjectChars).When(r => readSubject(r) is not null)
            .WithMessage(r => $"{subjectName} has {readSubject(r)!.Length} characters; at most {limits.MaxSubjectChars} are accepted (Predict:MaxSubjectChars).").OverridePropertyName(subjectName);
        validator.RuleFor(body).Must(b => b!.Length <= limits.MaxBodyChars).When(r => readBody(r) is not null)
            .WithMessage(r => $"body has {readBody(r)!.Length} characters; at most {limits.MaxBodyChars} are accepted (Predict:MaxBodyChars).").OverridePropertyName("body");
    }
}
