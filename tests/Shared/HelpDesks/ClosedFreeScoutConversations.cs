namespace OpenTicketAI.Testing.HelpDesks;

/// <summary>
/// FreeScout conversations as its API returns them (threads newest first): a closed one with a note before the agent's
/// HTML reply, a closed one with only an unsent draft reply, a closed one without text, and an active one.
/// </summary>
public static class ClosedFreeScoutConversations
{
    public const string ApiKey = "freescout-test-key";

    public static readonly IReadOnlyDictionary<int, string> Mailboxes = new Dictionary<int, string> { [1] = "Support", [2] = "Billing" };

    public static readonly FakeFreeScoutConversation[] All =
    [
        new(21, "closed", new { number = 1021, subject = "Cannot log in", mailboxId = 1, closedAt = "2026-03-04T08:00:00Z", updatedAt = "2026-03-04T08:00:01Z", _embedded = new { tags = new[] { new { id = 5, name = "login" } } } },
        [
            Thread(214, "message", "<p>Glad it works again.</p>"),
            Thread(213, "message", "<div>Clear your browser cache and <b>log in</b> again.</div><blockquote>The login page says my session expired.</blockquote>"),
            Thread(212, "note", "<p>SSO outage this morning.</p>"),
            Thread(211, "customer", "<p>The login page says my session expired.</p>"),
        ]),
        new(22, "closed", new { number = 1022, subject = "Refund for order 8812", mailboxId = 2, closedAt = (string?)null, updatedAt = "2026-02-01T12:00:00Z" },
        [
            Thread(222, "message", "<p>We will refund it.</p>", state: "draft"),
            Thread(221, "customer", "<p>Please refund order 8812, it arrived broken.</p>"),
        ]),
        new(23, "closed", new { number = 1023, subject = "", mailboxId = 1, closedAt = "2026-03-05T08:00:00Z" }, []),
        new(24, "active", new { number = 1024, subject = "Still open", mailboxId = 1, updatedAt = "2026-03-06T08:00:00Z" },
        [
            Thread(241, "customer", "<p>This one is not closed yet.</p>"),
        ]),
    ];

    private static object Thread(long id, string type, string body, string state = "published") => new { id, type, body, state, createdBy = new { type = type == "customer" ? "customer" : "user" } };
}
