using System.Net;
using System.Text.Json;

namespace OpenTicketAI.Api.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Asserts an <c>application/problem+json</c> response with <paramref name="status"/> and no stack trace; returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(" at OpenTicketAI.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The validation messages of <paramref name="field"/>; fails if the problem names no such field.</summary>
    public static string[] ErrorsFor(this JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors), $"The problem has no errors: {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"The problem does not name '{field}': {errors}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }
}
