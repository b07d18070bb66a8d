using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Zammad;

namespace OpenTicketAI.Integrations.History;

/// <summary>
/// One translation of a help-desk knowledge-base answer, as <c>otai index</c> stores it in an article collection.
/// </summary>
/// <param name="Id">Stable across imports: <c>zammad/instance:kb/answerId/locale</c>.</param>
/// <param name="Url">Where a customer reads it: the help desk's public page of the answer.</param>
/// <param name="Language">The primary subtag of its locale (<c>en</c> for <c>en-us</c>).</param>
public sealed record KnowledgeBaseAnswer(string Id, string Title, string Body, string Url, string? Language, string? Category, DateTimeOffset? UpdatedAt);

/// <summary>
/// A Zammad knowledge base's answers, every translation of each: <c>GET /api/v1/locales</c> (locale codes),
/// <c>GET /api/v1/knowledge_bases/{id}</c> (its <c>answer_ids</c>) and, per answer,
/// <c>GET /api/v1/knowledge_bases/{id}/answers/{answer}?full=1&amp;include_contents=1</c>, whose <c>assets</c> carry the
/// answer, its translations, their contents (HTML), categories and locales (docs.zammad.org api/knowledgebase). Only
/// published answers (<c>published_at</c> passed, not archived) are read, unless internal ones are asked for too
/// (<c>internal_at</c> passed: visible to agents only, so for /suggest, never for a customer portal). Drafts are skipped.
/// Needs a token with <c>knowledge_base.reader</c>.
/// </summary>
public sealed class ZammadKnowledgeBaseReader(HttpClient client, string instance, long knowledgeBaseId, bool includeInternal)
{
    public int Skipped { get; private set; }

    public async IAsyncEnumerable<KnowledgeBaseAnswer> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var locales = await LocalesAsync(cancellationToken);
        var kb = knowledgeBaseId.ToString(CultureInfo.InvariantCulture);
        List<long> answerIds;
        using (var knowledgeBase = await HistoryHttp.GetJsonAsync(client, $"api/v1/knowledge_bases/{kb}", cancellationToken))
        {
            answerIds = Ids(knowledgeBase.RootElement, "answer_ids").Order().ToList();
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var answerId in answerIds)
        {
            var id = answerId.ToString(CultureInfo.InvariantCulture);
            using var document = await HistoryHttp.GetJsonAsync(client, $"api/v1/knowledge_bases/{kb}/answers/{id}?full=1&include_contents=1", cancellationToken);
            var assets = document.RootElement.Child("assets");
            var answer = assets.Child("KnowledgeBaseAnswer").Child(id);
            if (!IsVisible(answer, now))
            {
                Skipped++;
                continue;
            }

            foreach (var translationId in Ids(answer, "translation_ids"))
            {
                var translation = assets.Child("KnowledgeBaseAnswerTranslation").Child(translationId.ToString(CultureInfo.InvariantCulture));
                var html = assets.Child("KnowledgeBaseAnswerTranslationContent").Child(translation.Text("content_id") ?? string.Empty).Text("body");
                var title = translation.Text("title");
                if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(html))
                {
                    Skipped++;
                    continue;
                }

                var kbLocale = translation.Text("kb_locale_id");
                var locale = locales.GetValueOrDefault(assets.Child("KnowledgeBaseLocale").Child(kbLocale ?? string.Empty).Text("system_locale_id") ?? string.Empty);
                var categoryId = answer.Text("category_id");
                var category = Values(assets.Child("KnowledgeBaseCategoryTranslation"))
                    .FirstOrDefault(c => c.Text("category_id") == categoryId && c.Text("kb_locale_id") == kbLocale).Text("title");
                yield return new KnowledgeBaseAnswer(
                    $"{ZammadConnector.Name}/{instance}:kb/{id}/{locale ?? kbLocale}",
                    title?.Trim() ?? string.Empty,
                    html is null ? string.Empty : HtmlText.ToPlainText(html),
                    new Uri(client.BaseAddress!, $"help/{locale ?? kbLocale}/{categoryId}/{id}").AbsoluteUri,
                    locale?.Split('-')[0],
                    category,
                    translation.Time("updated_at") ?? answer.Time("updated_at"));
            }
        }
    }

    /// <summary>Published (and, when asked, internal) since a time that has passed, and not archived.</summary>
    private bool IsVisible(JsonElement answer, DateTimeOffset now) =>
        answer.ValueKind == JsonValueKind.Object
        && answer.Time("archived_at") is null
        && (answer.Time("published_at") <= now || (includeInternal && answer.Time("internal_at") <= now));

    /// <summary>System locale id → code (<c>en-us</c>).</summary>
    private async Task<Dictionary<string, string>> LocalesAsync(CancellationToken cancellationToken)
    {
        using var document = await HistoryHttp.GetJsonAsync(client, "api/v1/locales", cancellationToken);
        var items = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray() : Enumerable.Empty<JsonElement>();
        return items
            .Where(l => l.Text("id") is not null && !string.IsNullOrWhiteSpace(l.Text("locale")))
            .GroupBy(l => l.Text("id")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Text("locale")!.Trim().ToLowerInvariant(), StringComparer.Ordinal);
    }

    private static IEnumerable<JsonElement> Values(JsonElement map) =>
        map.ValueKind == JsonValueKind.Object ? map.EnumerateObject().Select(p => p.Value) : [];

    private static IEnumerable<long> Ids(JsonElement element, string property) =>
        element.Items(property).Where(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _)).Select(i => i.GetInt64());
}
