using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenTicketAI.Api.Hosting;

/// <summary>
/// The one shape of a 400 that names fields: title <see cref="Title"/>, <c>errors</c> keyed by the field as the client wrote
/// it, and a detail that repeats the first messages. The FluentValidation filter, hand-checked query and route values and
/// form binders all answer through it.
/// </summary>
public static class ValidationProblems
{
    public const string Title = "The request is invalid.";

    private const int ShownInDetail = 3;

    public static ValidationProblem Create(IDictionary<string, string[]> errors)
    {
        var messages = errors.Select(e => $"{e.Key}: {e.Value[0]}").ToList();
        var detail = string.Join(" ", messages.Take(ShownInDetail));
        if (messages.Count > ShownInDetail)
        {
            detail = $"{detail} (and {messages.Count - ShownInDetail} more)";
        }

        return TypedResults.ValidationProblem(errors, detail: detail, title: Title);
    }

    public static ValidationProblem Create(string field, string message) => Create(new Dictionary<string, string[]> { [field] = [message] });
}
