using OpenTicketAI.Core.Features;
using OpenTicketAI.Knowledge.Import;
using OpenTicketAI.Knowledge.Summaries;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Knowledge.Tests;

[Collection(EncoderCollection.Name)]
public sealed class SummaryAndImportTests(EncoderFixture fixture) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Key_facts_find_order_and_invoice_numbers_dates_versions_and_error_codes()
    {
        var facts = KeyFacts.Extract("My order number is ORD-88123; Rechnung Nr. 2025/0042 is wrong. Since v4.2.1 (and 10.0.3) we get E1042 and HTTP 503 on 14.03.2025 and March 3, 2025.");

        Assert.Equal(["ORD-88123"], facts.OrderNumbers);
        Assert.Equal(["2025/0042"], facts.InvoiceNumbers);
        Assert.Equal(["4.2.1", "10.0.3"], facts.Versions);
        Assert.Equal(["E1042", "HTTP 503"], facts.ErrorCodes);
        Assert.Equal(["14.03.2025", "March 3, 2025"], facts.Dates);
    }

    [Fact]
    public void LexRank_keeps_the_sentences_the_thread_is_about_and_drops_the_aside()
    {
        var body = "The export to CSV fails every night. Since Monday the nightly CSV export stops with a timeout. "
            + "Our cat likes the sunny window. The CSV export job times out after ten minutes. Kind regards.";

        var embedded = new ThreadSummarizer(fixture.Encoder).Summarize("Export fails", body, maxSentences: 2);
        var words = new ThreadSummarizer(null).Summarize("Export fails", body, maxSentences: 2);

        Assert.Equal(ThreadSummarizer.Embeddings, embedded.Method);
        Assert.Equal(ThreadSummarizer.WordOverlap, words.Method);
        Assert.Equal(5, embedded.SentenceCount);
        foreach (var summary in new[] { embedded, words })
        {
            Assert.Equal(2, summary.Sentences.Count);
            Assert.All(summary.Sentences, s => Assert.Contains("export", s, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Of_two_equally_central_requests_the_one_stated_first_is_the_summary()
    {
        var body = "The invoice for March shows the wrong amount. Our office printer jams on every page. "
            + "The amount on the March invoice is wrong. The printer in our office jams on each page.";
        var vectors = fixture.Encoder.Encode(Sentences.Split(body).Select(TicketText.FromBody).ToList());

        var summary = new ThreadSummarizer(fixture.Encoder).Summarize(null, body, maxSentences: 1);
        var plain = ThreadSummarizer.LexRank(vectors, damping: 0.85, positionExponent: 0);

        Assert.Contains("invoice", summary.Sentences.Single(), StringComparison.Ordinal);
        Assert.InRange(Math.Abs(plain[0] + plain[2] - plain[1] - plain[3]), 0, 0.05);
    }

    // osTicket hands its plug-ins the message wrapped at 74 characters, as plain-text mail clients do at 72-76.
    [Theory]
    [InlineData(74)]
    [InlineData(72)]
    [InlineData(60)]
    public void A_message_wrapped_at_a_fixed_width_splits_into_the_sentences_of_the_unwrapped_one(int width)
    {
        const string message = "Our VPN connection drops every few minutes since this morning. We have to log in again each "
            + "time, which costs the whole team an hour a day. It happens on all laptops in the Berlin office with client "
            + "version 5.1.3 and error code VPN-619. Could you look into it before Friday, when the auditors arrive?";
        var wrapped = $"Hello,\n{Wrap(message, width)}\n\nSteps so far:\n- restarted the router\n- reinstalled the client\n\nBest regards\nErin Example";

        var sentences = Sentences.Split(wrapped);

        Assert.Equal(
            ["Hello,", .. Sentences.Split(message), "Steps so far:", "- restarted the router", "- reinstalled the client", "Best regards", "Erin Example"],
            sentences);
        Assert.Equal(4, Sentences.Split(message).Count);
    }

    private static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = "";
            }

            line = line.Length == 0 ? word : $"{line} {word}";
        }

        lines.Add(line);
        return string.Join('\n', lines);
    }

    [Theory]
    [InlineData("Hello team.", true)]
    [InlineData("I hope you are well.", true)]
    [InlineData("Mit freundlichen Grüßen", true)]
    [InlineData("Obrigado pela ajuda!", true)]
    [InlineData("Since the update to version 4.2.1 the export fails with error E1042.", false)]
    [InlineData("Thanks to the new firewall rule, every VPN connection from the branch office to the data centre now drops after ten minutes.", false)]
    public void Greetings_and_sign_offs_are_told_from_requests(string sentence, bool pleasantry) =>
        Assert.Equal(pleasantry, ThreadSummarizer.IsPleasantry(sentence));

    [Fact]
    public void Csv_jsonl_markdown_and_html_sources_become_documents()
    {
        _directory.Write("tickets.csv", "ticket_id,subject,body,answer,queue,language,tag_1,tag_2,date\nT1,VPN drops,\"The VPN drops,\nagain\",Update it,Network,EN,vpn,,2025-01-02\n,,,,,,,,\n");
        _directory.Write("tickets.jsonl", "{\"id\":\"J1\",\"body\":\"Printer offline\",\"queue\":\"Hardware\",\"tag\":[\"printer\",\"office\"]}\n\n");
        _directory.Write("kb/vpn.md", "# Fix VPN drops\n\n- Update the **client**\n- Switch to IKEv2\n");
        _directory.Write("kb/printing/offline.html", "<html><head><title>Printer offline</title><style>p{}</style></head><body><h1>Printer offline</h1><p>Restart the &amp; spooler.</p></body></html>");

        var csv = DocumentReader.ReadFile(_directory.Combine("tickets.csv"), new DocumentColumns { Id = "ticket_id" });
        var jsonl = DocumentReader.ReadFile(_directory.Combine("tickets.jsonl"), new DocumentColumns());
        var articles = DocumentReader.ReadArticles(_directory.Combine("kb"), "https://kb.example.com");

        var ticket = Assert.Single(csv);
        Assert.Equal(("T1", "The VPN drops,\nagain", "Update it", "Network", "en"), (ticket.Id, ticket.Body, ticket.Answer, ticket.Queue, ticket.Language));
        Assert.Equal(["vpn"], ticket.Tags);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), ticket.Date);
        Assert.Equal(["printer", "office"], Assert.Single(jsonl).Tags);
        Assert.Equal(["printing/offline.html", "vpn.md"], articles.Select(a => a.Id));
        Assert.Equal(("Printer offline", "Printer offline\nRestart the & spooler.", "https://kb.example.com/printing/offline.html"), (articles[0].Title, articles[0].Body, articles[0].Reference));
        Assert.Equal(("Fix VPN drops", "Update the client\nSwitch to IKEv2"), (articles[1].Title, articles[1].Body));
    }

    [Fact]
    public void A_date_that_is_not_a_date_is_reported_with_file_and_row()
    {
        _directory.Write("bad.csv", "id,body,date\nA,text,yesterday\n");

        var error = Assert.Throws<Collections.KnowledgeException>(() => DocumentReader.ReadFile(_directory.Combine("bad.csv"), new DocumentColumns()));

        Assert.Contains("bad.csv:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'date'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
