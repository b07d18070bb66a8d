using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>Requests built from the synthetic tickets' vocabulary, so the right labels are obvious.</summary>
public static class Tickets
{
    public static object Billing(string? id = null) => new
    {
        subject = "Invoice charged twice",
        body = "Hello team, the payment for our last invoice was charged twice to the bank account. Please check the billing and send a receipt.",
        id,
    };

    public static object Sales(string? id = null) => new
    {
        subject = "Quote for enterprise licence",
        body = "Hi there, we would like a quote and a demo for 50 enterprise seats, and a discount if we purchase this week.",
        id,
    };

    public static object Technical(string? id = null) => new
    {
        subject = "Server error after update",
        body = "Hallo zusammen, since the update the database sync fails with an error and the api runs into a timeout. The vpn is fine.",
        id,
    };

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PredictAsync(this HttpClient client, object ticket, string path = "/predict") =>
        client.PostAsJsonAsync(path, ticket);
}
