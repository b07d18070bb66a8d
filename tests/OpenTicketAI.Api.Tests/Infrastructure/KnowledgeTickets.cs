namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>A tiny past-tickets collection: three questions each on three topics, every ticket with its topic's answer, dated over the last days.</summary>
public static class KnowledgeTickets
{
    public static readonly (string Queue, string Answer, string[] Questions)[] Topics =
    [
        ("Accounts", "Use the 'Forgot password' link; the reset mail can take ten minutes.", ["I forgot my password and cannot sign in", "How do I reset my login password?", "The password reset email never arrives"]),
        ("Billing", "We refunded the duplicate charge; it shows within five business days.", ["I was charged twice for the same invoice", "Double payment taken from my credit card", "Please refund the duplicate charge on my bill"]),
        ("Network", "Update the VPN client to 5.2 and switch the protocol to IKEv2.", ["The VPN connection drops every few minutes", "Cannot stay connected to the company VPN", "VPN keeps disconnecting when I work from home"]),
    ];

    /// <summary>The body of <c>PUT /knowledge/{collection}/documents</c>: ids <c>accounts-0</c> … <c>network-2</c>.</summary>
    public static object Upsert(DateTimeOffset now) => new
    {
        documents = Topics.SelectMany(t => t.Questions.Select((q, i) => new
        {
            id = $"{t.Queue.ToLowerInvariant()}-{i}",
            title = q,
            body = $"Hello, {q.ToLowerInvariant()}. Please help.",
            answer = t.Answer,
            queue = t.Queue,
            language = "en",
            date = now.AddDays(-i - 1),
        })).ToArray(),
    };
}
