using CcBot.Core.Contests;

namespace CcBot.Core.Entries;

/// <summary>A pair of entries whose texts overlap, with the overlapping passages (folded text).</summary>
public sealed record SimilarityMatch(double Score, IReadOnlyList<string> Passages);

/// <summary>
/// Near-duplicate detection on word shingles of folded text (lower case, no diacritics, single spaces), so a copy re-typed without
/// diacritics or with other spacing still matches. The score is the exact resemblance (Jaccard) of the two shingle sets; contests
/// have at most a few hundred entries, so every pair is compared directly rather than estimated with MinHash.
/// </summary>
public static class Similarity
{
    public const int ShingleWords = 5;

    public static string Fold(string text) => CcBot.Nlu.DiacriticFolder.FoldForMatching(text);

    public static SimilarityMatch Compare(string foldedA, string foldedB)
    {
        var a = foldedA.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var b = foldedB.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var setA = Shingles(a);
        var setB = Shingles(b);
        if (setA.Count == 0 || setB.Count == 0)
        {
            return new SimilarityMatch(0, []);
        }

        var common = setA.Where(setB.Contains).ToHashSet(StringComparer.Ordinal);
        var score = common.Count / (double)(setA.Count + setB.Count - common.Count);
        return new SimilarityMatch(score, Passages(a, common));
    }

    private static HashSet<string> Shingles(string[] words)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + ShingleWords <= words.Length; i++)
        {
            set.Add(string.Join(' ', words, i, ShingleWords));
        }

        return set;
    }

    /// <summary>Maximal runs of words of A covered by shared shingles (longest first, at most 5).</summary>
    private static List<string> Passages(string[] words, HashSet<string> common)
    {
        var covered = new bool[words.Length];
        for (var i = 0; i + ShingleWords <= words.Length; i++)
        {
            if (common.Contains(string.Join(' ', words, i, ShingleWords)))
            {
                for (var k = i; k < i + ShingleWords; k++)
                {
                    covered[k] = true;
                }
            }
        }

        var passages = new List<string>();
        for (var i = 0; i < words.Length;)
        {
            if (!covered[i])
            {
                i++;
                continue;
            }

            var start = i;
            while (i < words.Length && covered[i])
            {
                i++;
            }

            passages.Add(string.Join(' ', words, start, i - start));
        }

        return passages.OrderByDescending(p => p.Length).Take(5).ToList();
    }
}
