using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using OpenTicketAI.Core.Encoders;
using OpenTicketAI.Core.Features;

namespace OpenTicketAI.Knowledge.Summaries;

/// <summary>The chosen sentences in text order, the key facts, and whether sentence embeddings (or word overlap) ranked them.</summary>
public sealed record Summary(IReadOnlyList<string> Sentences, KeyFacts Facts, int SentenceCount, string Method);

/// <summary>
/// Extractive summary by LexRank (Erkan and Radev, 2004) with a position prior: sentences are nodes, edge weights are
/// cosine similarities of their encoder embeddings (word-overlap cosine for text the encoder does not know), and the
/// stationary distribution of a random walk that restarts at sentence i with probability ∝ 1/√(i+1) — never at a short
/// greeting or sign-off — ranks them; the best ones are returned in the order they were written. The prior is there
/// because a ticket states its request early: plain LexRank (uniform restarts) picked the most central sentence and lost
/// to "the first sentence" against the tickets' own subject lines (docs/benchmarks.md).
/// </summary>
public sealed partial class ThreadSummarizer(SentenceEncoder? encoder)
{
    public const string Embeddings = "lexrank-embeddings";
    public const string WordOverlap = "lexrank-words";

    public Summary Summarize(string? subject, string body, int maxSentences = 3, bool useEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        var sentences = Summaries.Sentences.Split(body).Take(400).ToList();
        var facts = KeyFacts.Extract(string.Join('\n', new[] { subject, body }.Where(s => !string.IsNullOrWhiteSpace(s))));
        if (sentences.Count <= maxSentences)
        {
            return new Summary(sentences, facts, sentences.Count, "all");
        }

        var embedded = useEncoder && encoder is not null;
        IReadOnlyList<float[]> vectors = embedded
            ? encoder!.Encode(sentences.Select(TicketText.FromBody).ToList())
            : WordVectors(sentences);
        var scores = LexRank(vectors, restartable: sentences.Select(s => !IsPleasantry(s)).ToArray());
        var chosen = Enumerable.Range(0, sentences.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(maxSentences).Order().ToList();
        return new Summary(chosen.Select(i => sentences[i]).ToList(), facts, sentences.Count, embedded ? Embeddings : WordOverlap);
    }

    /// <summary>Restart probability ∝ (i + 1)^-PositionExponent; 0 is plain LexRank.</summary>
    public const double PositionExponent = 0.5;

    /// <summary>Share of each step that follows an edge rather than restarting (tuned with the prior; 0.85 in plain LexRank).</summary>
    public const double Damping = 0.5;

    /// <summary>
    /// Stationary scores of the similarity graph (negative similarities count as no edge); the walk restarts only at
    /// <paramref name="restartable"/> sentences (all when null or none is).
    /// </summary>
    public static double[] LexRank(IReadOnlyList<float[]> vectors, double damping = Damping, double positionExponent = PositionExponent, bool[]? restartable = null, int iterations = 50)
    {
        var n = vectors.Count;
        var restart = Enumerable.Range(0, n).Select(i => restartable is null || restartable[i] ? Math.Pow(i + 1, -positionExponent) : 0).ToArray();
        if (restart.All(r => r == 0))
        {
            restart = Enumerable.Range(0, n).Select(i => Math.Pow(i + 1, -positionExponent)).ToArray();
        }

        var restartTotal = restart.Sum();
        var weights = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < n; j++)
            {
                var similarity = i == j ? 0 : Math.Max(0, TensorPrimitives.CosineSimilarity(vectors[i], vectors[j]));
                weights[i, j] = float.IsNaN((float)similarity) ? 0 : similarity;
                sum += weights[i, j];
            }

            for (var j = 0; j < n; j++)
            {
                weights[i, j] = sum > 0 ? weights[i, j] / sum : 1.0 / n;
            }
        }

        var rank = Enumerable.Repeat(1.0 / n, n).ToArray();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var next = new double[n];
            for (var j = 0; j < n; j++)
            {
                double incoming = 0;
                for (var i = 0; i < n; i++)
                {
                    incoming += rank[i] * weights[i, j];
                }

                next[j] = ((1 - damping) * restart[j] / restartTotal) + (damping * incoming);
            }

            rank = next;
        }

        return rank;
    }

    /// <summary>A greeting or sign-off ("Hello team.", "Mit freundlichen Grüßen"): a short sentence with a salutation word.</summary>
    public static bool IsPleasantry(string sentence) =>
        sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length <= 8 && Salutation().IsMatch(sentence);

    [GeneratedRegex(@"\b(hello|hi|hey|dear|greetings|good (morning|afternoon|evening)|hope you|thanks|thank you|regards|sincerely|cheers|hallo|guten (tag|morgen)|sehr geehrte|liebe[rs]?|danke|vielen dank|grü(ß|ss)en?|gruß|bonjour|madame|monsieur|merci|cordialement|salutations|hola|estimad[oa]s?|gracias|saludos|atentamente|olá|prezad[oa]s?|obrigad[oa]|atenciosamente|ciao|buongiorno|gentile|grazie|cordiali saluti)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Salutation();

    private static List<float[]> WordVectors(List<string> sentences)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = sentences.Select(s => s.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', ',', '!', '?', ':', ';')).Where(w => w.Length > 2).ToList()).ToList();
        foreach (var word in words.SelectMany(w => w))
        {
            vocabulary.TryAdd(word, vocabulary.Count);
        }

        return words.Select(list =>
        {
            var vector = new float[Math.Max(1, vocabulary.Count)];
            foreach (var word in list)
            {
                vector[vocabulary[word]] += 1;
            }

            return vector;
        }).ToList();
    }
}
