using System.Text;
using OpenTicketAI.Integrations.Connectors;

namespace OpenTicketAI.Integrations.Tests.Connectors;

public sealed class ConnectorHelperTests
{
    [Fact]
    public void Hex_and_base64_signatures_match_only_the_exact_digest()
    {
        var body = Encoding.UTF8.GetBytes("""{"ticket":{"id":1}}""");
        var digest = WebhookSignature.HmacSha1("key", body);
        var hex = Convert.ToHexStringLower(digest);

        Assert.True(WebhookSignature.MatchesHex(digest, hex));
        Assert.True(WebhookSignature.MatchesHex(digest, hex.ToUpperInvariant()));
        Assert.False(WebhookSignature.MatchesHex(digest, hex[..^2] + "00"));
        Assert.False(WebhookSignature.MatchesHex(digest, hex + "00"));
        Assert.False(WebhookSignature.MatchesHex(digest, "zz" + hex[2..]));
        Assert.False(WebhookSignature.MatchesHex(digest, null));
        Assert.True(WebhookSignature.MatchesBase64(digest, Convert.ToBase64String(digest)));
        Assert.False(WebhookSignature.MatchesBase64(digest, Convert.ToBase64String(WebhookSignature.HmacSha1("other", body))));
        Assert.False(WebhookSignature.MatchesBase64(digest, "not base64!"));
        Assert.False(WebhookSignature.MatchesBase64(digest, string.Empty));
    }

    [Fact]
    public void Html_bodies_become_plain_text()
    {
        const string Html = "<div>Hello&nbsp;team,</div><div><br></div><p>the <b>invoice</b> &amp; receipt</p><style>p{}</style><script>x()</script><ul><li>one</li><li>two</li></ul>";

        Assert.Equal("Hello team,\nthe invoice & receipt\none\ntwo", HtmlText.ToPlainText(Html));
        Assert.Equal("Reset it at the portal. Urgent!", HtmlText.ToPlainText("<p>Reset it at <a href=\"https://id.example.com\">the portal</a>. <b>Ur</b><span>gent</span>!</p>"));
    }
}
