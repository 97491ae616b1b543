namespace CcBot.Nlu;

/// <summary>
/// BM25F retrieval over the accented and the diacritic-folded tokens of each FAQ question (and, with a lower
/// weight, its answer). Scores are divided by the query's self-match score (the score the query would get
/// against a document identical to itself) and clamped to [0, 1], so one threshold works for short and long queries.
/// Immutable and thread-safe.
/// </summary>
public sealed class FaqIndex
{
    private readonly TextNormalizer _normalizer;
    private readonly FaqIndexOptions _options;
    private readonly FaqDocument[] _documents;
    private readonly Dictionary<string, List<(int Doc, double Tf)>> _postings = new(StringComparer.Ordinal);
    private readonly double[] _lengths;
    private readonly Dictionary<string, double>[] _questionTerms;
    private readonly double _averageLength;

    public FaqIndex(IEnumerable<FaqDocument> documents, TextNormalizer? normalizer = null, FaqIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _normalizer = normalizer ?? new TextNormalizer();
        _options = options ?? new FaqIndexOptions();
        _documents = documents.ToArray();
        var duplicate = _documents.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Duplicate FAQ id '{duplicate.Key}'.", nameof(documents));
        _lengths = new double[_documents.Length];

        for (var d = 0; d < _documents.Length; d++)
        {
            var tf = new Dictionary<string, double>(StringComparer.Ordinal);
            AddTerms(tf, _normalizer.Normalize(_documents[d].Question), 1.0);
            AddTerms(tf, _normalizer.Normalize(_documents[d].Answer), _options.AnswerWeight);
            foreach (var (term, weight) in tf.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                if (!_postings.TryGetValue(term, out var list)) _postings[term] = list = [];
                list.Add((d, weight));
                _lengths[d] += weight;
            }
        }
        _averageLength = _documents.Length == 0 ? 1 : Math.Max(1e-9, _lengths.Average());
        _questionTerms = _documents.Select(d => _normalizer.Normalize(d.Question).FoldedTokens
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(t => t, t => Idf("f:" + t), StringComparer.Ordinal))
            .ToArray();
    }

    private double Idf(string term)
    {
        var df = _postings.TryGetValue(term, out var postings) ? postings.Count : 0;
        return Math.Log(1 + (_documents.Length - df + 0.5) / (df + 0.5));
    }

    /// <summary>The idf-weighted share of document <paramref name="doc"/>'s question words found in the query.</summary>
    private double Coverage(int doc, HashSet<string> queryFolded)
    {
        var terms = _questionTerms[doc];
        double total = 0, found = 0;
        foreach (var (term, idf) in terms)
        {
            total += idf;
            if (queryFolded.Contains(term)) found += idf;
        }
        return total <= 0 ? 0 : found / total;
    }

    public IReadOnlyList<FaqDocument> Documents => _documents;

    /// <summary>Returns a new index with <paramref name="document"/> added (or replacing the entry with the same id).</summary>
    public FaqIndex Add(FaqDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new FaqIndex(_documents.Where(d => d.Id != document.Id).Append(document), _normalizer, _options);
    }

    public IReadOnlyList<FaqHit> Search(string query, int top = 3) => Search(_normalizer.Normalize(query), top);

    public IReadOnlyList<FaqHit> Search(NormalizedText query, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (top <= 0 || query.IsEmpty || _documents.Length == 0) return [];
        var queryTf = new Dictionary<string, double>(StringComparer.Ordinal);
        AddTerms(queryTf, query, 1.0);
        var queryLength = queryTf.Values.Sum();

        var k1 = _options.K1;
        var b = _options.B;
        var scores = new double[_documents.Length];
        double self = 0;
        foreach (var (term, qtf) in queryTf.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var df = _postings.TryGetValue(term, out var postings) ? postings.Count : 0;
            var idf = Math.Log(1 + (_documents.Length - df + 0.5) / (df + 0.5));
            self += idf * qtf * (k1 + 1) / (qtf + k1 * (1 - b + b * queryLength / _averageLength));
            if (postings is null) continue;
            foreach (var (doc, tf) in postings)
            {
                var norm = 1 - b + b * _lengths[doc] / _averageLength;
                scores[doc] += idf * tf * (k1 + 1) / (tf + k1 * norm);
            }
        }
        if (self <= 0) return [];

        var queryFolded = query.FoldedTokens.ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, _documents.Length)
            .Where(d => scores[d] > 0)
            .Select(d => new FaqHit(_documents[d], Math.Min(1.0, scores[d] / self), Coverage(d, queryFolded)))
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Document.Id, StringComparer.Ordinal)
            .Take(top)
            .ToArray();
    }

    private static void AddTerms(Dictionary<string, double> tf, NormalizedText text, double weight)
    {
        for (var i = 0; i < text.Tokens.Count; i++)
        {
            Bump(tf, "a:" + text.Tokens[i], weight * 0.5);
            Bump(tf, "f:" + text.FoldedTokens[i], weight * 0.5);
            if (i > 0) Bump(tf, "b:" + text.FoldedTokens[i - 1] + " " + text.FoldedTokens[i], weight * 0.5);
        }
    }

    private static void Bump(Dictionary<string, double> tf, string term, double weight)
    {
        tf[term] = tf.TryGetValue(term, out var current) ? current + weight : weight;
    }
}
