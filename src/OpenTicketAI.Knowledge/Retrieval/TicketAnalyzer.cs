using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace OpenTicketAI.Knowledge.Retrieval;

/// <summary>
/// Unicode word tokens, lower-cased, accents folded, Porter-stemmed. No stop-word list: tickets mix languages and BM25's
/// IDF already discounts words every ticket has.
/// </summary>
public sealed class TicketAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new LowerCaseFilter(Version, source);
        stream = new ASCIIFoldingFilter(stream);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    /// <summary>The analysed terms of <paramref name="text"/> with their counts, at most <paramref name="max"/> distinct ones.</summary>
    public Dictionary<string, int> Terms(string field, string text, int max)
    {
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        using var stream = GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var value = term.ToString();
            if (terms.TryGetValue(value, out var count))
            {
                terms[value] = count + 1;
            }
            else if (terms.Count < max)
            {
                terms[value] = 1;
            }
        }

        stream.End();
        return terms;
    }
}
