using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace OpenTicketAI.Api.Hosting;

/// <summary>Describes a <see cref="BadHttpRequestException"/> from minimal-API binding as problem details naming the offending field.</summary>
public static partial class BadRequestProblems
{
    /// <summary>The error key for a problem with the request body as a whole, as opposed to one of its fields.</summary>
    public const string RootKey = "$";

    /// <param name="endpoint">The endpoint that failed to bind; its accepted request type tells what a JSON field should have been.</param>
    public static ProblemDetails Describe(BadHttpRequestException exception, HttpRequest request, Endpoint? endpoint)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new ProblemDetails { Status = StatusCodes.Status415UnsupportedMediaType, Detail = UnsupportedMediaType(request) };
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge };
        }

        if (exception.InnerException is JsonException json)
        {
            return DescribeJson(json, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        }

        if (FailedToBind().Match(exception.Message) is { Success: true } bind)
        {
            var name = JsonPath.ToFieldName(bind.Groups["name"].Value);
            var value = Shorten(bind.Groups["value"].Value);
            return Invalid(
                "A request parameter could not be read.",
                name,
                $"'{name}' must be {DescribeTypeName(bind.Groups["type"].Value)}; got '{value}'.");
        }

        if (NotProvided().Match(exception.Message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value == "body"
                ? EmptyBody()
                : Invalid("A required parameter is missing.", JsonPath.ToFieldName(missing.Groups["name"].Value), $"'{JsonPath.ToFieldName(missing.Groups["name"].Value)}' is required.");
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return EmptyBody();
        }

        return new ProblemDetails
        {
            Status = exception.StatusCode,
            Title = "The request could not be read.",
            Detail = exception.Message,
        };
    }

    /// <summary>A 415 when the request declares a charset .NET does not know (reading the body then fails with <see cref="InvalidOperationException"/>); otherwise null.</summary>
    public static ProblemDetails? UnsupportedCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.Charset is not { HasValue: true } charset)
        {
            return null;
        }

        try
        {
            Encoding.GetEncoding(charset.Value!);
            return null;
        }
        catch (ArgumentException)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Detail = $"The charset '{charset.Value}' is not supported; send the JSON as UTF-8.",
            };
        }
    }

    public static string UnsupportedMediaType(HttpRequest request) =>
        $"Send the request body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "no content type"}').";

    private static HttpValidationProblemDetails DescribeJson(JsonException json, Type? requestType)
    {
        var field = JsonPath.ToFieldName(json.Path);
        if (json.InnerException is InvalidOperationException { Message: var inner } && inner.Contains("UTF-8", StringComparison.Ordinal))
        {
            return Invalid("The request body is not valid UTF-8.", field, $"'{field}' is not valid UTF-8 text.");
        }

        if (CouldNotConvert().IsMatch(json.Message))
        {
            // The type named in the message is unreliable (records report the declaring type), so look the field up in the request type.
            var expected = Describe(JsonPath.FieldType(requestType, field));
            return Invalid(
                "The request body has a field of the wrong JSON type.",
                field,
                field == RootKey ? $"The request body must be {expected}." : $"'{field}' must be {expected}.");
        }

        var reason = json.Message;
        var pathStart = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (pathStart >= 0)
        {
            reason = reason[..pathStart];
        }

        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
        return Invalid("The request body is not valid JSON.", field, $"Malformed JSON{position}: {reason}");
    }

    private static HttpValidationProblemDetails EmptyBody() => Invalid(
        "The request body is empty.",
        RootKey,
        "The request body is empty; send a JSON object such as {\"subject\": \"...\", \"body\": \"...\"}.");

    private static HttpValidationProblemDetails Invalid(string title, string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = title,
        Detail = message,
    };

    private static string Describe(Type? type) => type switch
    {
        null => "of the documented type",
        _ when type == typeof(string) => "a JSON string",
        _ when type == typeof(bool) => "true or false",
        _ when type.IsPrimitive || type == typeof(decimal) => "a number",
        _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "a JSON array",
        _ => "a JSON object",
    };

    /// <summary>Minimal-API binding names C# types, e.g. <c>int?</c> or <c>Nullable&lt;int&gt;</c>.</summary>
    private static string DescribeTypeName(string typeName) => typeName switch
    {
        _ when typeName.Contains("int", StringComparison.OrdinalIgnoreCase) || typeName.Contains("long", StringComparison.OrdinalIgnoreCase) => "an integer",
        _ when typeName.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
        _ when typeName.Contains("double", StringComparison.OrdinalIgnoreCase) || typeName.Contains("decimal", StringComparison.OrdinalIgnoreCase) => "a number",
        _ => "a valid value",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided from (?<source>[a-z ]+)\.""")]
    private static partial Regex NotProvided();

    [GeneratedRegex("^The JSON value could not be converted to (?<type>[^ ]+)")]
    private static partial Regex CouldNotConvert();
}
