using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Tests;

/// <summary>Small English help-desk tickets: each topic has several paraphrases of the same request and its answer.</summary>
public static class KnowledgeFixtures
{
    public static readonly (string Queue, string Answer, string[] Questions)[] Topics =
    [
        ("Accounts", "Use the 'Forgot password' link; the reset mail can take ten minutes, check the spam folder.",
            ["I forgot my password and cannot sign in", "How do I reset my login password?", "Locked out of my account after too many password attempts", "The password reset email never arrives"]),
        ("Billing", "We refunded the duplicate charge; it shows on your statement within five business days.",
            ["I was charged twice for the same invoice", "Double payment taken from my credit card this month", "Please refund the duplicate charge on my bill", "Why did you bill me two times?"]),
        ("Network", "Update the VPN client to 5.2 and switch the protocol to IKEv2 in its settings.",
            ["The VPN connection drops every few minutes", "Cannot stay connected to the company VPN", "VPN keeps disconnecting when I work from home", "Remote access tunnel disconnects constantly"]),
        ("Hardware", "Reinstall the printer driver from the vendor site and clear the print queue.",
            ["The office printer does not print anything", "My print jobs are stuck in the queue", "Printer shows offline although it is switched on", "Nothing comes out of the printer on floor two"]),
    ];

    public static IReadOnlyList<KnowledgeDocument> Tickets(DateTimeOffset? start = null)
    {
        var date = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var documents = new List<KnowledgeDocument>();
        foreach (var (queue, answer, questions) in Topics)
        {
            for (var i = 0; i < questions.Length - 1; i++)
            {
                documents.Add(new KnowledgeDocument
                {
                    Id = $"{queue.ToLowerInvariant()}-{i}",
                    Title = questions[i],
                    Body = $"Hello support, {questions[i].ToLowerInvariant()}. Could you help me with this?",
                    Answer = answer,
                    Queue = queue,
                    Language = "en",
                    Tags = [queue.ToLowerInvariant()],
                    Date = date.AddDays(documents.Count),
                    Reference = $"#{1000 + documents.Count}",
                });
            }
        }

        return documents;
    }

    /// <summary>The paraphrase of each topic that <see cref="Tickets"/> leaves out.</summary>
    public static IEnumerable<(string Queue, string Question)> HeldOut() => Topics.Select(t => (t.Queue, t.Questions[^1]));
}
