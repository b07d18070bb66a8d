namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>
/// Five closed Zammad tickets as its API returns them: an HTML agent reply quoting the customer after an internal note, a
/// ticket nobody answered (its tags only from the tags endpoint), one without any text, one with only an internal note,
/// one with an automatic System reply before the agent's.
/// </summary>
public static class ClosedZammadTickets
{
    public const string Token = "zammad-test-token";

    public static readonly FakeZammadTicket[] All =
    [
        new(11, new { number = "31011", title = "VPN drops every hour", group = "Network", tags = new[] { "vpn", "remote" }, close_at = "2026-03-02T10:00:00.000Z", updated_at = "2026-03-02T10:00:05.000Z" },
        [
            Article(111, "Customer", "<p>The VPN disconnects every hour since Monday.</p>"),
            Article(112, "Agent", "<p>Internal: the gateway logs show idle timeouts.</p>", @internal: true),
            Article(113, "Agent", "<p>Please update the VPN client to version 5.2.</p><blockquote type=\"cite\"><p>The VPN disconnects every hour since Monday.</p></blockquote>"),
            Article(114, "Agent", "<p>Did the update help?</p>"),
        ]),
        new(12, new { number = "31012", title = "Charged twice", group = "Billing", close_at = (string?)null, updated_at = "2026-02-10T08:00:00.000Z" },
        [
            Article(121, "Customer", "I was charged twice for invoice 4711.", contentType: "text/plain"),
        ],
        Tags: ["refund"]),
        new(13, new { number = "31013", title = "", group = "Network", tags = Array.Empty<string>(), close_at = "2026-03-03T10:00:00.000Z" }, []),
        new(14, new { number = "31014", title = "Printer offline", group = "Service Desk", tags = Array.Empty<string>(), close_at = "2026-03-05T09:00:00.000Z" },
        [
            Article(141, "Customer", "<div>The printer on floor 2 shows offline.</div>"),
            Article(142, "Agent", "<div>Replaced the toner, printer is back.</div>", @internal: true),
        ]),
        new(15, new { number = "31015", title = "Password reset", group = "Accounts", tags = new[] { "password" }, close_at = "2026-03-06T12:30:00.000Z" },
        [
            Article(151, "Customer", "<p>I forgot my password and cannot log in.</p>"),
            Article(152, "System", "<p>Thank you for your request, we will answer soon.</p>"),
            Article(153, "Agent", "<div>Reset your password at <a href=\"https://id.example.com\">the portal</a>.</div>"),
        ]),
    ];

    private static object Article(long id, string sender, string body, bool @internal = false, string contentType = "text/html") =>
        new { id, sender, body, content_type = contentType, @internal, type = sender == "Agent" && @internal ? "note" : "email" };
}
