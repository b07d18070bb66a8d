namespace OpenTicketAI.Cli.Tests.Infrastructure;

/// <summary>
/// A taxonomy unlike the synthetic one, shaped like the real 50-queue export: 20 hierarchical queues "Department/Team"
/// and 5 priorities very_low..critical. Each queue and priority has its own words; the rest is shared filler.
/// </summary>
public static class HierarchicalTickets
{
    public static readonly string[] Priorities = ["very_low", "low", "medium", "high", "critical"];

    private static readonly (string Queue, string[] Words)[] QueueWords =
    [
        ("IT/Network", ["router", "wlan", "switch"]),
        ("IT/Hardware", ["laptop", "docking", "monitor"]),
        ("IT/Software", ["installer", "licence key", "update"]),
        ("IT/Security", ["phishing", "malware", "firewall"]),
        ("IT/Accounts", ["password", "lockout", "mfa"]),
        ("Finance/Invoices", ["invoice", "rechnung", "vat"]),
        ("Finance/Refunds", ["refund", "chargeback", "reimburse"]),
        ("Finance/Payroll", ["salary", "payslip", "overtime"]),
        ("Finance/Budget", ["budget", "forecast", "quarter"]),
        ("HR/Recruiting", ["candidate", "interview", "vacancy"]),
        ("HR/Onboarding", ["onboarding", "first day", "badge"]),
        ("HR/Leave", ["vacation", "sick note", "parental"]),
        ("HR/Benefits", ["pension", "insurance", "gym"]),
        ("Sales/Quotes", ["quote", "offer", "tender"]),
        ("Sales/Contracts", ["contract", "renewal", "signature"]),
        ("Sales/Partners", ["reseller", "partner", "referral"]),
        ("Facilities/Cleaning", ["cleaning", "trash", "spill"]),
        ("Facilities/Parking", ["parking", "garage", "car park"]),
        ("Facilities/Rooms", ["meeting room", "projector", "booking"]),
        ("Facilities/Heating", ["heating", "radiator", "air conditioning"]),
    ];

    private static readonly string[][] PriorityWords =
    [
        ["no hurry at all", "some day"],
        ["when convenient", "low impact"],
        ["this week", "soon"],
        ["today please", "important"],
        ["emergency", "everything is down"],
    ];

    private static readonly string[] Filler = ["hello", "team", "please", "could", "you", "look", "at", "our", "issue", "thanks", "regards", "the", "and", "we", "have", "a"];

    public static IReadOnlyList<string> Queues { get; } = QueueWords.Select(q => q.Queue).ToArray();

    /// <summary><paramref name="perQueue"/> tickets per queue, shuffled; the same seed gives the same tickets.</summary>
    public static IReadOnlyList<FixtureTicket> Generate(int perQueue, int seed)
    {
        var random = new Random(seed);
        var tickets = new List<FixtureTicket>();
        foreach (var (queue, words) in QueueWords)
        {
            for (var i = 0; i < perQueue; i++)
            {
                var priority = random.Next(Priorities.Length);
                var subject = $"{Pick(random, words)} {Pick(random, Filler)}";
                var body = string.Join(' ', new[]
                {
                    Pick(random, Filler), Pick(random, words), Pick(random, Filler), Pick(random, PriorityWords[priority]),
                    Pick(random, Filler), Pick(random, words), Pick(random, Filler), $"#{random.Next(1000, 9999)}",
                });
                tickets.Add(new FixtureTicket($"{seed}-{tickets.Count}", subject, body, queue, Priorities[priority], "Request", []));
            }
        }

        var shuffled = tickets.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
