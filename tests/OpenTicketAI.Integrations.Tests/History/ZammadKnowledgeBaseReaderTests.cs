using System.Text.Json;
using OpenTicketAI.Integrations.History;
using OpenTicketAI.Integrations.Tests.Infrastructure;

namespace OpenTicketAI.Integrations.Tests.History;

/// <summary>A Zammad knowledge base read for an article collection, against a stub answering with Zammad's documented shapes.</summary>
public sealed class ZammadKnowledgeBaseReaderTests
{
    private const string Token = "zammad-kb-token";

    [Fact]
    public async Task Import_reads_every_translation_of_the_published_answers_with_its_public_url()
    {
        using var zammad = KnowledgeBase();
        using var client = Client(zammad);
        var reader = new ZammadKnowledgeBaseReader(client, "main", 1, includeInternal: false);

        var answers = await ReadAllAsync(reader);

        Assert.Equal(["zammad/main:kb/1/en-us", "zammad/main:kb/1/de-de"], answers.Select(a => a.Id));
        Assert.Equal(
            new KnowledgeBaseAnswer("zammad/main:kb/1/en-us", "Reset your VPN password", "Open the portal.\nChoose Reset.", $"{zammad.BaseUrl}help/en-us/7/1", "en", "Remote access", new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)),
            answers[0]);
        Assert.Equal(("VPN-Passwort zurücksetzen", "de", "Fernzugriff", $"{zammad.BaseUrl}help/de-de/7/1"), (answers[1].Title, answers[1].Language, answers[1].Category, answers[1].Url));
        Assert.Equal(5, reader.Skipped);
        Assert.All(zammad.Requests, r => Assert.Equal("Token token=" + Token, r.Header("Authorization")));
        Assert.DoesNotContain(zammad.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task Import_with_internal_answers_adds_the_staff_only_ones_but_never_drafts_archived_or_scheduled_answers()
    {
        using var zammad = KnowledgeBase();
        using var client = Client(zammad);
        var reader = new ZammadKnowledgeBaseReader(client, "main", 1, includeInternal: true);

        var answers = await ReadAllAsync(reader);

        Assert.Equal(["zammad/main:kb/1/en-us", "zammad/main:kb/1/de-de", "zammad/main:kb/3/en-us"], answers.Select(a => a.Id));
        Assert.Equal(4, reader.Skipped);
    }

    [Fact]
    public async Task A_refused_token_fails_naming_the_url_and_the_status_but_not_the_token()
    {
        using var zammad = HelpDeskStub.Start();
        zammad.Respond("GET", "/api/v1/locales", 401, """{"error":"Authentication required"}""");
        using var client = Client(zammad);

        var error = await Assert.ThrowsAsync<HelpDeskHistoryException>(() => ReadAllAsync(new ZammadKnowledgeBaseReader(client, "main", 1, includeInternal: false)));

        Assert.StartsWith($"GET {zammad.BaseUrl}api/v1/locales answered 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    private static HttpClient Client(HelpDeskStub zammad) => ZammadHistoryReader.CreateClient(new Uri(zammad.BaseUrl), Token, TimeSpan.FromSeconds(10));

    private static async Task<List<KnowledgeBaseAnswer>> ReadAllAsync(ZammadKnowledgeBaseReader reader)
    {
        var answers = new List<KnowledgeBaseAnswer>();
        await foreach (var answer in reader.ReadAsync(CancellationToken.None))
        {
            answers.Add(answer);
        }

        return answers;
    }

    /// <summary>
    /// Knowledge base 1 in English (kb locale 1 → system locale 1, en-us) and German (2 → 5, de-de): answer 1 published in
    /// both, 2 a draft, 3 internal, 4 archived, 5 scheduled for 2099, 6 published but without title or text.
    /// </summary>
    private static HelpDeskStub KnowledgeBase()
    {
        var zammad = HelpDeskStub.Start();
        zammad.Respond("GET", "/api/v1/locales", 200, Serialize(new object[]
        {
            new { id = 1, locale = "en-us", alias = "en", name = "English (United States)", active = true },
            new { id = 5, locale = "de-de", alias = "de", name = "Deutsch", active = true },
        }));
        zammad.Respond("GET", "/api/v1/knowledge_bases/1", 200, Serialize(new { id = 1, kb_locale_ids = new[] { 1, 2 }, category_ids = new[] { 7 }, answer_ids = new[] { 6, 3, 1, 2, 4, 5 } }));
        Answer(zammad, 1, published: "2026-03-01T09:00:00Z", translations: [(11, 1, "Reset your VPN password", "<p>Open the portal.</p><p>Choose <b>Reset</b>.</p>"), (12, 2, "VPN-Passwort zurücksetzen", "<p>Öffnen Sie das Portal.</p>")]);
        Answer(zammad, 2, translations: [(21, 1, "Draft answer", "<p>Not ready.</p>")]);
        Answer(zammad, 3, @internal: "2026-02-01T09:00:00Z", translations: [(31, 1, "Escalating to the network team", "<p>Call the on-call engineer.</p>")]);
        Answer(zammad, 4, published: "2025-01-01T09:00:00Z", archived: "2026-01-01T09:00:00Z", translations: [(41, 1, "Old VPN client", "<p>Version 3.</p>")]);
        Answer(zammad, 5, published: "2099-01-01T09:00:00Z", translations: [(51, 1, "Next year's VPN", "<p>Soon.</p>")]);
        Answer(zammad, 6, published: "2026-03-01T09:00:00Z", translations: [(61, 1, "", "")]);
        return zammad;
    }

    /// <summary><c>GET …/answers/{id}?full=1&amp;include_contents=1</c> as docs.zammad.org shows it: the answer and its relatives in <c>assets</c>.</summary>
    private static void Answer(HelpDeskStub zammad, int id, (int Id, int KbLocale, string Title, string Html)[] translations, string? published = null, string? @internal = null, string? archived = null)
    {
        var assets = new Dictionary<string, object>
        {
            ["KnowledgeBaseAnswer"] = new Dictionary<string, object>
            {
                [$"{id}"] = new { id, category_id = 7, published_at = published, internal_at = @internal, archived_at = archived, updated_at = "2026-03-02T10:00:00Z", translation_ids = translations.Select(t => t.Id) },
            },
            ["KnowledgeBaseAnswerTranslation"] = translations.ToDictionary(t => $"{t.Id}", t => (object)new { id = t.Id, title = t.Title, kb_locale_id = t.KbLocale, answer_id = id, content_id = t.Id * 10, updated_at = "2026-03-02T10:00:00Z" }),
            ["KnowledgeBaseAnswerTranslationContent"] = translations.ToDictionary(t => $"{t.Id * 10}", t => (object)new { id = t.Id * 10, body = t.Html, attachments = Array.Empty<object>() }),
            ["KnowledgeBaseLocale"] = new Dictionary<string, object>
            {
                ["1"] = new { id = 1, knowledge_base_id = 1, system_locale_id = 1, primary = true },
                ["2"] = new { id = 2, knowledge_base_id = 1, system_locale_id = 5, primary = false },
            },
            ["KnowledgeBaseCategoryTranslation"] = new Dictionary<string, object>
            {
                ["70"] = new { id = 70, title = "Remote access", kb_locale_id = 1, category_id = 7 },
                ["71"] = new { id = 71, title = "Fernzugriff", kb_locale_id = 2, category_id = 7 },
            },
        };
        zammad.Respond("GET", $"/api/v1/knowledge_bases/1/answers/{id}", 200, Serialize(new { id, assets }), ("full", "1"), ("include_contents", "1"));
    }

    private static string Serialize(object value) => JsonSerializer.Serialize(value);
}
