using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using OpenTicketAI.Api.Tests.Infrastructure;

namespace OpenTicketAI.Api.Tests.Predictions;

/// <summary>The shared models have no language head: <c>language</c> comes from the service's identifier.</summary>
[Collection(ApiCollection.Name)]
public sealed class LanguageTests(ApiFixture api)
{
    [Fact]
    public async Task Predict_tells_a_Portuguese_and_a_Spanish_ticket_apart_with_lowercase_codes()
    {
        var response = await api.Client.PostAsJsonAsync("/predict/batch", new
        {
            tickets = new[]
            {
                new { subject = "Fatura duplicada", body = "Fomos cobrados duas vezes este mês. Não consigo acessar minha conta para ver o recibo." },
                new { subject = "Factura duplicada", body = "Nos han cobrado dos veces este mes. No puedo acceder a mi cuenta para ver el recibo." },
            },
        });

        var results = (await response.ReadJsonAsync()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["pt", "es"], results.Select(r => r.GetProperty("predictions").GetProperty("language").GetString()));
        Assert.All(results, r => Assert.False(r.GetProperty("needsReview").GetProperty("language").GetBoolean()));
        Assert.All(results, r => Assert.InRange(r.GetProperty("confidence").GetProperty("language").GetDouble(), 0.9, 1.0));
        Assert.All(
            results.SelectMany(r => r.GetProperty("alternatives").GetProperty("language").EnumerateArray()),
            a => Assert.Equal(a.GetProperty("label").GetString()!.ToLowerInvariant(), a.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Predict_answers_English_for_a_short_English_subject()
    {
        var response = await api.Client.PostAsJsonAsync("/predict", new { subject = "Cannot log in to my account" });

        var result = await response.ReadJsonAsync();
        Assert.Equal("en", result.GetProperty("predictions").GetProperty("language").GetString());
    }

    [Fact]
    public async Task Predict_answers_Hindi_for_a_ticket_in_Devanagari()
    {
        var response = await api.Client.PostAsJsonAsync("/predict", new { body = "मेरा खाता काम नहीं कर रहा है, कृपया जल्दी मदद करें।" });

        var result = await response.ReadJsonAsync();
        Assert.Equal("hi", result.GetProperty("predictions").GetProperty("language").GetString());
    }

    [Theory]
    [InlineData("Merhaba, faturamda bir hata var ve ödeme sayfası açılmıyor, yardım eder misiniz?")]
    [InlineData("Здравствуйте, не могу войти в личный кабинет после обновления пароля.")]
    [InlineData("ok")]
    public async Task Predict_flags_an_unknown_language_or_too_short_a_text_as_und(string body)
    {
        var response = await api.Client.PostAsJsonAsync("/predict", new { body });

        var result = await response.ReadJsonAsync();
        Assert.Equal("und", result.GetProperty("predictions").GetProperty("language").GetString());
        Assert.True(result.GetProperty("needsReview").GetProperty("language").GetBoolean());
        Assert.Equal(0, result.GetProperty("confidence").GetProperty("language").GetDouble());
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_a_language_the_identifier_does_not_know()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, new Dictionary<string, string?> { ["OpenTicketAI:Language:Languages:0"] = "xx" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("OpenTicketAI:Language:Languages has 'xx'", error.Message, StringComparison.Ordinal);
    }
}
