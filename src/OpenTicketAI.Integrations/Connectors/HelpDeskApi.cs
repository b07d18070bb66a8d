using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>
/// A help desk refused or failed a request, or answered with a body that is not JSON; the message names the URL and the
/// status, never the credentials. An <see cref="HttpRequestException"/>, so callers that catch those (the poller) catch it.
/// </summary>
public sealed class HelpDeskApiException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : HttpRequestException(message, inner, status);

/// <summary>Reading a help desk's REST API: the client's base address, and GETs of JSON documents with clear errors.</summary>
public static class HelpDeskApi
{
    private const int ExcerptLength = 300;

    /// <summary>
    /// Points <paramref name="client"/> at <paramref name="baseUrl"/> (with a closing slash, so relative paths append to it)
    /// and asks for JSON; the caller adds the help desk's credentials.
    /// </summary>
    public static void UseBaseAddress(HttpClient client, string baseUrl)
    {
        client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>
    /// GETs <paramref name="path"/> (relative to the client's base address) and parses the answer. A time-out, a failed
    /// connection, a non-2xx answer (with an excerpt of its body) and a body that is not JSON throw
    /// <see cref="HelpDeskApiException"/> naming the URL; cancelling <paramref name="cancellationToken"/> stays a cancellation.
    /// </summary>
    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var url = new Uri(client.BaseAddress ?? throw new InvalidOperationException("The help desk client has no base address."), path);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, cancellationToken);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HelpDeskApiException($"GET {url} did not answer within {client.Timeout.TotalSeconds:0.#} s", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HelpDeskApiException($"GET {url} failed: {ex.Message}", null, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var excerpt = text.Length > ExcerptLength ? text[..ExcerptLength] : text;
                throw new HelpDeskApiException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}", response.StatusCode);
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new HelpDeskApiException($"GET {url} answered {(int)response.StatusCode} with a body that is not JSON: {ex.Message}", response.StatusCode, ex);
            }
        }
    }
}
