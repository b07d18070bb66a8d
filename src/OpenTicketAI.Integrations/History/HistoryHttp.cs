using System.Net;
using System.Text.Json;

namespace OpenTicketAI.Integrations.History;

/// <summary>A help desk refused or failed a history request; the message names the URL and the status, never the credentials.</summary>
public sealed class HelpDeskHistoryException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>GETs for history readers: JSON answers, with errors and time-outs as <see cref="HelpDeskHistoryException"/>.</summary>
public static class HistoryHttp
{
    /// <summary>
    /// A client for <paramref name="baseUrl"/> that gives each request <paramref name="timeout"/>; the caller adds the help
    /// desk's credentials header.
    /// </summary>
    public static HttpClient CreateClient(Uri baseUrl, TimeSpan timeout)
    {
        var client = new HttpClient
        {
            BaseAddress = new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/"),
            Timeout = timeout,
        };
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var url = new Uri(client.BaseAddress!, path);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, cancellationToken);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HelpDeskHistoryException($"GET {url} did not answer within {client.Timeout.TotalSeconds:0.#} s", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HelpDeskHistoryException($"GET {url} failed: {ex.Message}", null, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var excerpt = text.Length > 200 ? text[..200] : text;
                throw new HelpDeskHistoryException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}", response.StatusCode);
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new HelpDeskHistoryException($"GET {url} answered {(int)response.StatusCode} with a body that is not JSON: {ex.Message}", response.StatusCode, ex);
            }
        }
    }
}
