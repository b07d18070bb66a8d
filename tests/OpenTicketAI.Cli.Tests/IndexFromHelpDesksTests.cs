using OpenTicketAI.Cli.Tests.Infrastructure;
using OpenTicketAI.Knowledge.Collections;
using OpenTicketAI.Testing;
using OpenTicketAI.Testing.HelpDesks;

namespace OpenTicketAI.Cli.Tests;

/// <summary><c>otai index --from-zammad / --from-freescout</c> against HTTP servers answering as those help desks do (BM25 only, so no encoder runs).</summary>
public sealed class IndexFromHelpDesksTests : IDisposable
{
    private const string TokenVariable = "OTAI_TEST_ZAMMAD_TOKEN";

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Index_from_zammad_stores_closed_tickets_with_the_agents_reply_and_indexing_again_replaces_them()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        var environment = new Dictionary<string, string> { [TokenVariable] = ClosedZammadTickets.Token };
        string[] arguments = ["index", "--from-zammad", zammad.BaseUrl, "--zammad-token-env", TokenVariable, "--collection", "past", "--encoder", "none", "--root", "kb"];

        var first = await OtaiProcess.RunAsync(_directory.Path, environment, arguments);
        var again = await OtaiProcess.RunAsync(_directory.Path, environment, arguments);

        CliAssert.Succeeds(first);
        CliAssert.Succeeds(again);
        Assert.Contains("read 4 tickets from Zammad 127.0.0.1 (2 with an agent reply, 1 skipped; query state.name:closed)", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("past: 4 added, 0 replaced, 4 documents", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("past: 0 added, 4 replaced, 4 documents", again.Stderr, StringComparison.Ordinal);
        using var index = KnowledgeIndex.Open("past", _directory.Combine("kb/past"), null);
        var hit = index.Search(new KnowledgeQuery { Subject = "VPN keeps disconnecting", Body = "my VPN disconnects all the time", TopK = 1, Mode = RetrievalMode.Lexical }).Hits[0].Document;
        Assert.Equal(
            ("zammad/main:11", "31011", "VPN drops every hour", "The VPN disconnects every hour since Monday.", "Please update the VPN client to version 5.2.", "Network"),
            (hit.Id, hit.Reference, hit.Title, hit.Body, hit.Answer, hit.Queue));
        Assert.Equal(["vpn", "remote"], hit.Tags);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), hit.Date);
        Assert.Equal("en", hit.Language);
        Assert.Null(index.Documents().Single(d => d.Id == "zammad/main:14").Answer);
    }

    [Fact]
    public async Task Index_from_a_zammad_knowledge_base_stores_its_published_answers_as_articles_with_their_public_url()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token);
        zammad.Serve("/api/v1/locales", new object[] { new { id = 1, locale = "en-us" } });
        zammad.Serve("/api/v1/knowledge_bases/1", new { id = 1, answer_ids = new[] { 2, 1 } });
        zammad.Serve("/api/v1/knowledge_bases/1/answers/1", KnowledgeBaseAnswer(1, "2026-03-01T09:00:00Z", "Reset your VPN password", "<p>Open the <b>portal</b> and choose Reset.</p>"));
        zammad.Serve("/api/v1/knowledge_bases/1/answers/2", KnowledgeBaseAnswer(2, null, "Draft: new VPN client", "<p>Not ready.</p>"));
        var environment = new Dictionary<string, string> { [TokenVariable] = ClosedZammadTickets.Token };

        var run = await OtaiProcess.RunAsync(_directory.Path, environment, "index", "--from-zammad-kb", zammad.BaseUrl, "--zammad-token-env", TokenVariable, "--collection", "articles", "--encoder", "none", "--root", "kb");

        CliAssert.Succeeds(run);
        Assert.Contains("read 1 answer translations from the Zammad knowledge base at 127.0.0.1 (1 answers or translations skipped", run.Stderr, StringComparison.Ordinal);
        using var index = KnowledgeIndex.Open("articles", _directory.Combine("kb/articles"), null);
        Assert.Equal(CollectionKind.Articles, index.Manifest.Kind);
        var article = Assert.Single(index.Documents());
        Assert.Equal(
            ("zammad/main:kb/1/en-us", "Reset your VPN password", "Open the portal and choose Reset.", $"{zammad.BaseUrl}help/en-us/7/1", "en"),
            (article.Id, article.Title, article.Body, article.Reference, article.Language));
        Assert.Equal(["Remote access"], article.Tags);
        Assert.All(zammad.Requests.Where(r => r.Path.Contains("/answers/", StringComparison.Ordinal)), r => Assert.Equal(("1", "1"), (r.Param("full"), r.Param("include_contents"))));
    }

    /// <summary>An answer as <c>GET /api/v1/knowledge_bases/1/answers/{id}?full=1&amp;include_contents=1</c> returns it (docs.zammad.org api/knowledgebase/answers).</summary>
    private static object KnowledgeBaseAnswer(int id, string? publishedAt, string title, string html) => new
    {
        id,
        assets = new Dictionary<string, object>
        {
            ["KnowledgeBaseAnswer"] = new Dictionary<string, object> { [$"{id}"] = new { id, category_id = 7, published_at = publishedAt, archived_at = (string?)null, translation_ids = new[] { id * 10 } } },
            ["KnowledgeBaseAnswerTranslation"] = new Dictionary<string, object> { [$"{id * 10}"] = new { id = id * 10, title, kb_locale_id = 1, answer_id = id, content_id = id * 100, updated_at = "2026-03-02T10:00:00Z" } },
            ["KnowledgeBaseAnswerTranslationContent"] = new Dictionary<string, object> { [$"{id * 100}"] = new { id = id * 100, body = html } },
            ["KnowledgeBaseLocale"] = new Dictionary<string, object> { ["1"] = new { id = 1, system_locale_id = 1, primary = true } },
            ["KnowledgeBaseCategoryTranslation"] = new Dictionary<string, object> { ["70"] = new { id = 70, title = "Remote access", kb_locale_id = 1, category_id = 7 } },
        },
    };

    [Fact]
    public async Task Index_from_zammad_with_a_refused_token_fails_naming_the_url_the_status_and_the_variable()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);

        var run = await OtaiProcess.RunAsync(
            _directory.Path,
            new Dictionary<string, string> { [TokenVariable] = "revoked-token" },
            "index", "--from-zammad", zammad.BaseUrl, "--zammad-token-env", TokenVariable, "--encoder", "none", "--root", "kb");

        var error = CliAssert.FailsWithUserError(run, $"GET {zammad.BaseUrl}api/v1/tickets/search?", "answered 401", TokenVariable);
        Assert.DoesNotContain("revoked-token", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory.Combine("kb/tickets")), error);
    }

    [Fact]
    public async Task Index_from_zammad_without_the_token_variable_fails_naming_it()
    {
        var run = await OtaiProcess.RunAsync(_directory.Path, "index", "--from-zammad", "http://127.0.0.1:9/", "--zammad-token-env", "OTAI_TEST_UNSET_TOKEN", "--encoder", "none", "--root", "kb");

        CliAssert.FailsWithUserError(run, "OTAI_TEST_UNSET_TOKEN");
    }

    [Fact]
    public async Task Index_from_zammad_and_freescout_in_one_run_fills_one_collection_the_suggest_answers_come_from()
    {
        await using var zammad = await FakeZammad.StartAsync(ClosedZammadTickets.Token, ClosedZammadTickets.All);
        await using var freeScout = await FakeFreeScout.StartAsync(ClosedFreeScoutConversations.ApiKey, ClosedFreeScoutConversations.Mailboxes, ClosedFreeScoutConversations.All);
        var environment = new Dictionary<string, string> { [TokenVariable] = ClosedZammadTickets.Token, ["OTAI_TEST_FREESCOUT_KEY"] = ClosedFreeScoutConversations.ApiKey };

        var run = await OtaiProcess.RunAsync(
            _directory.Path,
            environment,
            "index", "--from-zammad", zammad.BaseUrl, "--zammad-token-env", TokenVariable, "--from-freescout", freeScout.BaseUrl, "--freescout-key-env", "OTAI_TEST_FREESCOUT_KEY", "--freescout-instance", "mail",
            "--encoder", "none", "--root", "kb");

        CliAssert.Succeeds(run);
        Assert.Contains("read 2 tickets from FreeScout 127.0.0.1 (1 with an agent reply, 1 skipped; status closed)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("tickets: 6 added, 0 replaced, 6 documents", run.Stderr, StringComparison.Ordinal);
        using var index = KnowledgeIndex.Open("tickets", _directory.Combine("kb/tickets"), null);
        var hit = index.Search(new KnowledgeQuery { Subject = "login fails", Body = "my session expired on the login page", TopK = 1, Mode = RetrievalMode.Lexical }).Hits[0].Document;
        Assert.Equal(("freescout/mail:21", "1021", "Clear your browser cache and log in again.", "Support"), (hit.Id, hit.Reference, hit.Answer, hit.Queue));
    }

    public void Dispose() => _directory.Dispose();
}
