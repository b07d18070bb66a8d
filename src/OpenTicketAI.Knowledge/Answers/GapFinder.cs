using System.Numerics.Tensors;
using OpenTicketAI.Knowledge.Collections;

namespace OpenTicketAI.Knowledge.Answers;

public sealed record GapTicket(string Id, string? Title, string? Reference, double BestArticleConfidence);

/// <summary>A group of recent tickets no article answers: its size, counts in the earlier and later half of the window, representatives and top terms.</summary>
public sealed record GapCluster(int Size, int EarlierHalf, int LaterHalf, string Trend, IReadOnlyList<GapTicket> Representatives, IReadOnlyList<string> TopTerms);

/// <summary>
/// FAQ gaps: recent tickets whose best article scores below a threshold (<see cref="ReplySuggester.Confidence"/>) are
/// grouped greedily by encoder cosine to the group's centroid; groups of at least a minimum size are reported, largest
/// first. Tickets without an embedding (a language the encoder does not know) are left out.
/// </summary>
public static class GapFinder
{
    public static IReadOnlyList<GapCluster> Find(KnowledgeIndex tickets, KnowledgeIndex? articles, DateTimeOffset since, DateTimeOffset until, double answeredAt = 0.55, double clusterCosine = 0.6, int minSize = 2, int maxTickets = 2000)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var recent = tickets.Documents().Where(d => d.Date is { } date && date >= since && date <= until).OrderByDescending(d => d.Date).Take(maxTickets).ToList();
        var unanswered = new List<(KnowledgeDocument Document, float[] Vector, double Best)>();
        foreach (var document in recent)
        {
            if (tickets.Vector(document.Id) is not { } vector)
            {
                continue;
            }

            var query = new KnowledgeQuery { Subject = document.Title, Body = document.Body, Embedding = vector, TopK = 1 };
            var hits = articles?.Search(query).Hits;
            var best = hits is { Count: > 0 } ? ReplySuggester.Confidence(query, hits[0]) : 0;
            if (best < answeredAt)
            {
                unanswered.Add((document, vector, best));
            }
        }

        var clusters = new List<(float[] Sum, List<int> Members)>();
        for (var i = 0; i < unanswered.Count; i++)
        {
            var vector = unanswered[i].Vector;
            var home = clusters.FindIndex(c => TensorPrimitives.CosineSimilarity(c.Sum, vector) >= clusterCosine);
            if (home < 0)
            {
                clusters.Add(((float[])vector.Clone(), [i]));
            }
            else
            {
                TensorPrimitives.Add(clusters[home].Sum, vector, clusters[home].Sum);
                clusters[home].Members.Add(i);
            }
        }

        var middle = since + ((until - since) / 2);
        var documentFrequency = unanswered.SelectMany(u => Words(u.Document).Distinct()).GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return clusters.Where(c => c.Members.Count >= minSize).OrderByDescending(c => c.Members.Count).Select(c =>
        {
            var members = c.Members.Select(i => unanswered[i]).ToList();
            var later = members.Count(m => m.Document.Date >= middle);
            var earlier = members.Count - later;
            var trend = later > earlier * 1.5 ? "rising" : earlier > later * 1.5 ? "falling" : "steady";
            var representatives = members.OrderByDescending(m => TensorPrimitives.CosineSimilarity(c.Sum, m.Vector)).Take(3)
                .Select(m => new GapTicket(m.Document.Id, m.Document.Title, m.Document.Reference, m.Best)).ToList();
            var terms = members.SelectMany(m => Words(m.Document).Distinct()).GroupBy(w => w, StringComparer.Ordinal)
                .Select(g => (Word: g.Key, Score: g.Count() * Math.Log((double)(unanswered.Count + 1) / documentFrequency[g.Key])))
                .OrderByDescending(t => t.Score).ThenBy(t => t.Word, StringComparer.Ordinal).Take(5).Select(t => t.Word).ToList();
            return new GapCluster(members.Count, earlier, later, trend, representatives, terms);
        }).ToList();
    }

    private static IEnumerable<string> Words(KnowledgeDocument document) =>
        $"{document.Title} {document.Body}".ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '!', '?', ':', ';', '"', '\'', '(', ')')).Where(w => w.Length > 3 && w.All(char.IsLetter));
}
