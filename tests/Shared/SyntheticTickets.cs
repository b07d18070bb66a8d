using System.Security.Cryptography;
using System.Text;
using OpenTicketAI.Core.Features;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Testing;

/// <summary>
/// Deterministic synthetic help-desk data in a mix of English, German, French and Spanish. Every queue, priority, tag and
/// sentiment has its own words; shared greetings, closings and filler words are noise. Tickets carry queue and tags and
/// mostly priority; short tweets carry only sentiment, so partial labels are exercised. Same arguments, same rows.
/// </summary>
public static class SyntheticTickets
{
    public const string QueueHead = "queue";
    public const string PriorityHead = "priority";
    public const string TagsHead = "tags";
    public const string SentimentHead = "sentiment";

    public static IReadOnlyList<HeadDefinition> Heads { get; } =
    [
        new(QueueHead, HeadKind.SingleLabel),
        new(PriorityHead, HeadKind.SingleLabel),
        new(TagsHead, HeadKind.MultiLabel),
        new(SentimentHead, HeadKind.SingleLabel),
    ];

    private static readonly (string Label, double Share, string[] Words)[] QueueWords =
    [
        ("Billing", 0.3, ["invoice", "rechnung", "facture", "factura", "payment", "zahlung", "paiement", "pago", "charged", "abgebucht", "prélèvement", "cobro", "billing", "abrechnung", "vat", "mehrwertsteuer", "tva", "iva", "receipt", "quittung", "reçu", "recibo", "overdue", "mahnung", "bank", "iban", "sepa", "credit", "gutschrift", "avoir"]),
        ("Sales", 0.2, ["quote", "angebot", "devis", "cotización", "demo", "vorführung", "démonstration", "demostración", "licence", "lizenz", "licencia", "seats", "plätze", "postes", "enterprise", "unternehmen", "entreprise", "empresa", "discount", "rabatt", "remise", "descuento", "purchase", "kaufen", "acheter", "comprar", "trial", "testversion", "essai", "prueba"]),
        ("Technical Support", 0.5, ["error", "fehler", "erreur", "crash", "absturz", "plantage", "bloqueo", "server", "serveur", "servidor", "timeout", "zeitüberschreitung", "install", "installation", "instalación", "update", "aktualisierung", "mise", "actualización", "bug", "vpn", "netzwerk", "réseau", "red", "database", "datenbank", "base", "api", "sync", "synchronisation"]),
    ];

    private static readonly (string Label, double Share, string[] Words)[] PriorityWords =
    [
        ("high", 0.25, ["urgent", "dringend", "urgente", "asap", "immediately", "sofort", "immédiatement", "inmediatamente", "critical", "kritisch", "critique", "crítico", "blocking", "blockiert", "bloquant", "bloqueante"]),
        ("low", 0.3, ["whenever", "irgendwann", "quand", "cuando", "no rush", "keine eile", "pas pressé", "sin prisa", "curious", "neugierig", "curieux", "curiosidad", "someday", "später", "plus tard", "luego"]),
        ("medium", 0.45, ["soon", "bald", "bientôt", "pronto", "this week", "diese woche", "cette semaine", "esta semana", "when possible", "wenn möglich", "si possible", "si es posible", "shortly", "zeitnah", "rapidement", "rápido"]),
    ];

    private static readonly (string Label, string[] Words, Dictionary<string, double> Affinity)[] TagWords =
    [
        ("hardware", ["laptop", "printer", "drucker", "imprimante", "impresora", "monitor", "bildschirm", "écran", "pantalla", "keyboard", "tastatur", "clavier"], new() { ["Technical Support"] = 0.35, ["Sales"] = 0.1 }),
        ("login", ["password", "passwort", "mot de passe", "contraseña", "sign in", "anmelden", "connexion", "iniciar sesión", "2fa", "locked out", "gesperrt", "bloqué"], new() { ["Technical Support"] = 0.4, ["Billing"] = 0.05 }),
        ("outage", ["outage", "ausfall", "panne", "caída", "down", "offline", "unreachable", "nicht erreichbar", "injoignable", "inaccesible", "status page", "störung"], new() { ["Technical Support"] = 0.25 }),
        ("pricing", ["price list", "preisliste", "tarif", "tarifa", "cost per seat", "kosten", "coût", "costo", "plan comparison", "preisvergleich", "budget", "presupuesto"], new() { ["Sales"] = 0.6, ["Billing"] = 0.1 }),
        ("refund", ["refund", "rückerstattung", "remboursement", "reembolso", "money back", "geld zurück", "rembourser", "devolución", "chargeback", "storno", "annulation", "cancelación"], new() { ["Billing"] = 0.45, ["Sales"] = 0.05 }),
    ];

    private static readonly (string Label, double Share, string[] Words)[] SentimentWords =
    [
        ("negative", 0.35, ["terrible", "awful", "worst", "hate", "schrecklich", "furchtbar", "nul", "horrible", "pésimo", "enfadado", "angry", "wütend", "déçu", "disappointed", "useless", "nutzlos"]),
        ("neutral", 0.3, ["wondering", "frage", "question", "pregunta", "schedule", "termin", "horaire", "horario", "info", "informationen", "renseignement", "información", "noticed", "bemerkt", "remarqué", "visto"]),
        ("positive", 0.35, ["love", "great", "awesome", "super", "toll", "genial", "génial", "excelente", "thanks", "danke", "merci", "gracias", "happy", "glücklich", "heureux", "feliz"]),
    ];

    private static readonly string[] Greetings = ["Hello team,", "Hi there,", "Hallo zusammen,", "Guten Tag,", "Bonjour,", "Salut,", "Hola,", "Buenos días,", "Dear support,"];
    private static readonly string[] Closings = ["Thanks.", "Best regards", "Danke!", "Mit freundlichen Grüßen", "Merci d'avance", "Cordialement", "Gracias", "Saludos", "Cheers"];
    private static readonly string[] Filler =
    [
        "please", "bitte", "s'il vous plaît", "por favor", "we", "wir", "nous", "nosotros", "our", "unser", "notre", "nuestro", "account", "konto", "compte", "cuenta",
        "customer", "kunde", "client", "cliente", "today", "heute", "aujourd'hui", "hoy", "again", "wieder", "encore", "otra vez", "the", "der", "le", "el", "and", "und",
        "et", "y", "team", "office", "büro", "bureau", "oficina", "number", "nummer", "numéro", "número", "regarding", "bezüglich", "concernant", "sobre",
    ];

    /// <summary>A training set: <paramref name="tickets"/> tickets (queue, tags, mostly priority) and <paramref name="tweets"/> sentiment-only rows.</summary>
    public static TrainingSet TrainingSet(int tickets = 300, int tweets = 100, int seed = 7, int minBodyChars = 60, int maxBodyChars = 240)
    {
        var rows = Generate(tickets, tweets, new Random(seed), minBodyChars, maxBodyChars);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"synthetic:{tickets}:{tweets}:{seed}:{minBodyChars}:{maxBodyChars}")));
        return new TrainingSet(rows, Heads, [new SourceSummary($"synthetic://tickets?seed={seed}", digest, rows.Count)]);
    }

    /// <summary>Rows from the same distribution as <see cref="TrainingSet"/> but with different random phrases; every ticket carries priority.</summary>
    public static IReadOnlyList<LabeledTicket> HeldOut(int tickets = 150, int tweets = 60, int seed = 7, int minBodyChars = 60, int maxBodyChars = 240) =>
        Generate(tickets, tweets, new Random(unchecked((seed * 7919) + 104_729)), minBodyChars, maxBodyChars, priorityShare: 1.0);

    private static List<LabeledTicket> Generate(int tickets, int tweets, Random random, int minBodyChars, int maxBodyChars, double priorityShare = 0.8)
    {
        var rows = new List<LabeledTicket>(tickets + tweets);
        for (var i = 0; i < tickets + tweets; i++)
        {
            // Interleave tweets among tickets so row order carries no signal.
            var ticket = (long)i * tickets / (tickets + tweets) != (long)(i + 1) * tickets / (tickets + tweets);
            rows.Add(ticket
                ? Ticket(random, minBodyChars, maxBodyChars, priorityShare) with { Id = $"ticket-{i}", Origin = $"synthetic:{i + 1}" }
                : Tweet(random) with { Id = $"tweet-{i}", Origin = $"synthetic:{i + 1}" });
        }

        return rows;
    }

    private static LabeledTicket Ticket(Random random, int minBodyChars, int maxBodyChars, double priorityShare)
    {
        var (queue, _, queueWords) = Draw(random, QueueWords);
        var (priority, _, priorityWords) = Draw(random, PriorityWords);
        var tags = TagWords.Where(t => random.NextDouble() < t.Affinity.GetValueOrDefault(queue, 0.03)).ToArray();

        var subject = $"{Pick(random, queueWords)} {Pick(random, Filler)} {Pick(random, queueWords)}";
        if (random.NextDouble() < 0.5)
        {
            subject = $"{Pick(random, priorityWords)}: {subject}";
        }

        var body = new StringBuilder(Pick(random, Greetings));
        body.Append(' ').Append(Sentence(random, queueWords, 3));
        body.Append(' ').Append(Sentence(random, priorityWords, 1));
        foreach (var tag in tags)
        {
            body.Append(' ').Append(Sentence(random, tag.Words, 2));
        }

        if (random.NextDouble() < 0.15)
        {
            var other = QueueWords[random.Next(QueueWords.Length)].Words;
            body.Append(' ').Append(Sentence(random, other, 1));
        }

        var length = random.Next(minBodyChars, maxBodyChars + 1);
        while (body.Length < length)
        {
            body.Append(' ').Append(Sentence(random, random.NextDouble() < 0.5 ? queueWords : Filler, 2));
        }

        body.Append("\\n").Append(Pick(random, Closings));

        var labels = new Dictionary<string, string> { [QueueHead] = queue };
        if (random.NextDouble() < priorityShare)
        {
            labels[PriorityHead] = priority;
        }

        var multiLabels = new Dictionary<string, IReadOnlyList<string>> { [TagsHead] = tags.Select(t => t.Label).ToArray() };
        return new LabeledTicket(new TicketText(subject, body.ToString()), labels, multiLabels);
    }

    private static LabeledTicket Tweet(Random random)
    {
        var (sentiment, _, words) = Draw(random, SentimentWords);
        var text = $"@helpdesk {Sentence(random, words, 2)} #{Pick(random, Filler).Replace(' ', '_')}";
        return new LabeledTicket(
            TicketText.FromBody(text),
            new Dictionary<string, string> { [SentimentHead] = sentiment },
            new Dictionary<string, IReadOnlyList<string>>());
    }

    /// <summary>A phrase of <paramref name="signalWords"/> class words mixed with filler words, in random order.</summary>
    private static string Sentence(Random random, string[] words, int signalWords)
    {
        var parts = new List<string>();
        for (var i = 0; i < signalWords; i++)
        {
            parts.Add(Pick(random, words));
        }

        for (var i = random.Next(2, 5); i > 0; i--)
        {
            parts.Add(Pick(random, Filler));
        }

        var shuffled = parts.ToArray();
        random.Shuffle(shuffled);
        return string.Join(' ', shuffled) + (random.NextDouble() < 0.3 ? $" #{random.Next(10_000, 99_999)}." : ".");
    }

    /// <summary>A class drawn with probability equal to its share.</summary>
    private static (string Label, double Share, string[] Words) Draw(Random random, (string Label, double Share, string[] Words)[] classes)
    {
        var roll = random.NextDouble();
        foreach (var candidate in classes)
        {
            roll -= candidate.Share;
            if (roll < 0)
            {
                return candidate;
            }
        }

        return classes[^1];
    }

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
