using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Inference;
using OpenTicketAI.Core.Language;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Core.Tests.Language;

public sealed class LanguageIdentifierTests
{
    // The n-gram table is loaded once per process and set of languages, so one identifier per test class is plenty.
    private static readonly LanguageIdentifier Identifier = new(new LanguageOptions());

    [Theory]
    [InlineData("Não consigo acessar minha conta desde ontem e preciso da fatura de novembro.", "pt")]
    [InlineData("No puedo acceder a mi cuenta desde ayer y necesito la factura de noviembre.", "es")]
    public void Portuguese_and_Spanish_tickets_are_told_apart(string body, string expected)
    {
        var result = Identifier.Identify(TicketText.FromBody(body));

        Assert.Equal(expected, result.Label);
        Assert.False(result.NeedsReview);
        Assert.True(result.Confidence >= 0.9f, $"confidence {result.Confidence}");
    }

    [Fact]
    public void A_short_English_subject_is_English()
    {
        var result = Identifier.Identify(new TicketText("Cannot log in to my account", null));

        Assert.Equal("en", result.Label);
    }

    [Theory]
    [InlineData("The password entered is incorrect", "en")]
    [InlineData("Das Passwort ist leider falsch", "de")]
    [InlineData("La contraseña no es correcta", "es")]
    [InlineData("Impossible de me connecter à mon compte", "fr")]
    [InlineData("A senha digitada está incorreta", "pt")]
    [InlineData("La password inserita non è corretta", "it")]
    public void Short_subjects_are_named_in_every_served_language(string subject, string expected)
    {
        var result = Identifier.Identify(new TicketText(subject, null));

        Assert.Equal(expected, result.Label);
    }

    [Theory]
    [InlineData("Pedido cancelado")]
    [InlineData("Problema grave")]
    [InlineData("Internet lento")]
    public void A_short_text_shared_by_two_languages_is_flagged_rather_than_confidently_answered(string subject)
    {
        var result = Identifier.Identify(new TicketText(subject, null));

        Assert.True(result.NeedsReview, $"{result.Label} {result.Confidence}");
    }

    [Theory]
    [InlineData("Problema com a fatura", "pt")]
    [InlineData("Problema de acesso", "pt")]
    [InlineData("Problema con la factura", "es")]
    [InlineData("Error al enviar el archivo", "es")]
    [InlineData("Duda sobre el plan", "es")]
    public void Short_portuguese_subjects_are_not_spanish_and_spanish_ones_not_portuguese(string subject, string expected)
    {
        var result = Identifier.Identify(new TicketText(subject, null));

        Assert.Equal(expected, result.Label);
    }

    // Before function words counted, the n-grams alone left each of these flagged (or undetermined); "ao", "minha",
    // "ha", "di", "est" say which language it is, whatever the letters say.
    [Theory]
    [InlineData("Erro ao enviar o arquivo", "pt")]
    [InlineData("Minha conta", "pt")]
    [InlineData("Mi pedido no ha llegado", "es")]
    [InlineData("Problema di accesso", "it")]
    [InlineData("Le mot de passe est incorrect", "fr")]
    public void Short_subjects_with_telling_function_words_are_answered_without_review(string subject, string expected)
    {
        var result = Identifier.Identify(new TicketText(subject, null));

        Assert.Equal(expected, result.Label);
        Assert.False(result.NeedsReview, $"{result.Label} {result.Confidence}");
    }

    [Fact]
    public void Without_function_words_a_short_portuguese_subject_needs_review()
    {
        var identifier = new LanguageIdentifier(new LanguageOptions { FunctionWordWeight = 0 });

        var result = identifier.Identify(new TicketText("Minha conta", null));

        Assert.True(result.NeedsReview, $"{result.Label} {result.Confidence}");
    }

    [Fact]
    public void A_catalan_sentence_is_undetermined_rather_than_spanish()
    {
        var result = Identifier.Identify(TicketText.FromBody("No puc accedir al meu compte i la factura de novembre no és correcta."));

        Assert.Equal(LanguageCodes.Undetermined, result.Label);
    }

    // Both came back Portuguese before Czech and Hungarian were decoys (a third of such sentences went to a served language).
    [Theory]
    [InlineData("Název souboru je příliš dlouhý, proto nebyl uložen do složky.")]
    [InlineData("Nem tudok belépni a fiókomba, és a novemberi számla sem helyes, kérem segítsenek.")]
    public void Czech_and_Hungarian_sentences_are_undetermined_rather_than_a_served_language(string body)
    {
        var result = Identifier.Identify(TicketText.FromBody(body));

        Assert.Equal(LanguageCodes.Undetermined, result.Label);
    }

    // Latvian has no decoy: it was Italian (0.94) by the n-grams it shares, though most of its n-grams are rare in Italian.
    [Fact]
    public void A_latvian_sentence_is_undetermined_because_its_ngrams_do_not_fit_the_nearest_served_language()
    {
        const string latvian = "Sveiki, mans pasūtījums netika piegādāts laikā.";
        var withoutFitCheck = new LanguageIdentifier(new LanguageOptions { MinMeanNgramLogProbability = double.NegativeInfinity });

        Assert.Equal("it", withoutFitCheck.Identify(TicketText.FromBody(latvian)).Label);
        var result = Identifier.Identify(TicketText.FromBody(latvian));

        Assert.Equal(LanguageCodes.Undetermined, result.Label);
        Assert.True(result.NeedsReview);
    }

    // Few letters give small log-likelihood sums: with the long texts' temperature "Registered User" was English below 0.5, so und.
    [Fact]
    public void A_short_phrase_is_tempered_less_than_a_long_text_so_that_it_is_answered()
    {
        var oneTemperature = new LanguageIdentifier(new LanguageOptions { ShortTextLetters = 0 });
        var phrase = TicketText.FromBody("Registered User");
        var sentence = TicketText.FromBody("The printer on the second floor stopped working after the update.");

        Assert.Equal(LanguageCodes.Undetermined, oneTemperature.Identify(phrase).Label);
        Assert.Equal("en", Identifier.Identify(phrase).Label);
        Assert.True(Identifier.Identify(phrase).NeedsReview);
        Assert.Equal(oneTemperature.Identify(sentence).Confidence, Identifier.Identify(sentence).Confidence);
    }

    [Fact]
    public void A_dutch_sentence_stays_undetermined_although_it_shares_function_words_with_served_languages()
    {
        var result = Identifier.Identify(TicketText.FromBody("Ik kan niet inloggen op mijn account en de factuur is niet te openen."));

        Assert.Equal(LanguageCodes.Undetermined, result.Label);
    }

    [Fact]
    public void A_Hindi_ticket_with_English_product_names_is_Hindi()
    {
        var result = Identifier.Identify(TicketText.FromBody("मेरा Outlook खाता Windows update के बाद काम नहीं कर रहा है, कृपया मदद करें।"));

        Assert.Equal("hi", result.Label);
    }

    // By letters the one product name outweighed the four Arabic words, and the text was read as Latin script (und).
    [Theory]
    [InlineData("لا يمكن فتح ملف AppleDoubleEncodedArchive", "ar")]
    [InlineData("GBufferedInputStreamReader काट नहीं सकता", "hi")]
    public void A_short_message_around_a_long_product_name_is_in_the_language_of_its_other_words(string body, string expected)
    {
        var result = Identifier.Identify(TicketText.FromBody(body));

        Assert.Equal(expected, result.Label);
    }

    [Fact]
    public void A_missing_model_directory_is_named()
    {
        var directory = Path.Combine(Path.GetTempPath(), "otai-no-models-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<FileNotFoundException>(() => new LanguageIdentifier(new LanguageOptions { ModelsDirectory = directory }));

        Assert.Contains(directory, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Hindi_ticket_in_Devanagari_is_Hindi()
    {
        var result = Identifier.Identify(TicketText.FromBody("मेरा खाता काम नहीं कर रहा है, कृपया जल्दी मदद करें।"));

        Assert.Equal("hi", result.Label);
        Assert.False(result.NeedsReview);
    }

    [Theory]
    [InlineData("Merhaba, faturamda bir hata var ve ödeme sayfası açılmıyor, yardım eder misiniz?")]
    [InlineData("Здравствуйте, не могу войти в личный кабинет после обновления пароля.")]
    [InlineData("ok")]
    [InlineData("12345 https://example.com/x user@example.com")]
    public void Unknown_languages_and_texts_too_short_to_tell_are_undetermined_and_flagged(string body)
    {
        var result = Identifier.Identify(TicketText.FromBody(body));

        Assert.Equal(LanguageCodes.Undetermined, result.Label);
        Assert.True(result.NeedsReview);
        Assert.Equal(0f, result.Confidence);
    }

    [Fact]
    public void Scores_are_lowercase_served_codes_highest_first_and_sum_to_at_most_one()
    {
        var result = Identifier.Identify(TicketText.FromBody("Bonjour, ma facture de novembre est fausse, merci de la corriger."));

        Assert.Equal("fr", result.Label);
        Assert.All(result.Scores, s => Assert.Contains(s.Label, LanguageOptions.DefaultLanguages));
        Assert.Equal(result.Scores.OrderByDescending(s => s.Score).Select(s => s.Label), result.Scores.Select(s => s.Label));
        Assert.InRange(result.Scores.Sum(s => s.Score), 0.99f, 1.0001f);
    }

    [Fact]
    public void Configured_codes_are_normalised_to_lowercase()
    {
        var identifier = new LanguageIdentifier(new LanguageOptions { Languages = ["EN", "De"], Unserved = [] });

        Assert.Equal(["en", "de", LanguageCodes.Undetermined], identifier.Labels);
        Assert.Equal("de", identifier.Identify(TicketText.FromBody("Bitte prüfen Sie meine Rechnung, der Betrag ist falsch.")).Label);
    }

    [Fact]
    public void Options_name_unknown_codes_and_bad_thresholds()
    {
        var errors = new LanguageOptions { Languages = ["en", "xx"], MinConfidence = 2, Temperature = 0, FunctionWordWeight = -1, MinMeanNgramLogProbability = 1, ShortTextTemperature = 0 }.Validate();

        Assert.Contains(errors, e => e.Contains("Languages has 'xx'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MinConfidence", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Temperature", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("FunctionWordWeight", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MinMeanNgramLogProbability", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ShortTextTemperature", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new LanguageIdentifier(new LanguageOptions { Languages = ["xx"] }));
    }

    [Fact]
    public void Describe_replaces_a_models_language_head_and_adds_one_where_it_is_missing()
    {
        static HeadSpec Head(string name) => new() { Name = name, Kind = HeadKind.SingleLabel, Output = name, Labels = ["EN", "DE"] };
        var manifest = Manifests.With([Head("queue"), Head("language"), Head("priority")]);

        var described = Identifier.Describe(manifest);
        var added = Identifier.Describe(manifest with { Heads = [Head("queue")] });

        Assert.Equal(["queue", "language", "priority"], described.Heads.Select(h => h.Name));
        Assert.Equal(Identifier.Labels, described.Heads[1].Labels);
        Assert.Equal(["queue", "language"], added.Heads.Select(h => h.Name));
    }

    [Fact]
    public void A_prediction_takes_the_identifiers_language_in_place_of_the_heads()
    {
        var head = new HeadPrediction("language", HeadKind.SingleLabel, ["ES"], 0.9f, false, [new LabelScore("ES", 0.9f)]);
        var prediction = new TicketPrediction(new Dictionary<string, HeadPrediction> { ["language"] = head });

        var replaced = prediction.With(Identifier.Identify(TicketText.FromBody("Não consigo acessar minha conta desde ontem.")));

        Assert.Equal("pt", replaced.Heads["language"].Label);
    }
}
