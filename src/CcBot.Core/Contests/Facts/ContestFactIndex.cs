using CcBot.Core.Text;
using CcBot.Nlu;

namespace CcBot.Core.Contests;

/// <summary>
/// Every fact of every loaded contest, searchable by folded words and word pairs (abbreviations expanded, with or without
/// diacritics), with each key's rarity (idf) over all facts and the contests whose facts hold it.
/// </summary>
public sealed partial class ContestFactIndex
{
    /// <summary>Words too common to tell facts apart (folded).</summary>
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "cuoc", "thi", "hoi", "cua", "la", "va", "cac", "co", "khong", "duoc", "cho", "ve", "trong", "tren", "voi", "nay", "do", "nhe",
        "a", "oi", "ban", "toi", "minh", "em", "anh", "chi", "gi", "nao", "the", "nhu", "vay", "nhung", "mot", "nhieu", "tu", "den", "da",
        "se", "dang", "can", "phai", "hay", "hoac", "o", "tai", "theo", "nam", "so", "thi", "ay", "ak", "ah", "vs", "voi", "di", "ra",
        "vao", "len", "khi", "thoi", "roi", "ma", "thi", "nua", "con", "sao", "biet", "xin", "cam", "on", "giup", "muon", "hoi",
        "nguoi", "ai", "gio", "ngay", "luc", "may", "bi", "khac", "nhat", "lam", "dung", "sai", "cung", "van", "neu", "de",
        // The domain itself ("CCHC" expands to it): in every contest, it tells nothing apart.
        "cai", "cach", "hanh", "chinh",
    };

    private readonly TextNormalizer _normalizer = new();
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _contests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ContestFact>> _byContest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContestFact>> _factsWith = new(StringComparer.Ordinal);

    public ContestFactIndex(ContestCatalog catalog, ITextCatalog texts)
    {
        var all = new List<ContestFact>();
        foreach (var contest in catalog.Contests)
        {
            var facts = ContestFactBuilder.Build(contest, texts)
                .Select(f => new ContestFact(contest, f.Kind, f.Text, f.Source,
                    // The fact's own words, the words its kind is asked with, and (for a milestone) its actor.
                    Keys(f.Text).Concat(Keys(f.Extra)).Concat(Keys(QuestionCues.Words(f.Kind))).Concat(Keys(f.Milestone?.Actor ?? "")).ToHashSet(StringComparer.Ordinal),
                    f.Milestone, f.Contact))
                .ToList();
            _byContest[contest.Id] = facts;
            all.AddRange(facts);
        }

        Facts = all;
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fact in all)
        {
            foreach (var key in fact.Keys)
            {
                df[key] = df.GetValueOrDefault(key) + 1;
                if (!_factsWith.TryGetValue(key, out var holding))
                {
                    _factsWith[key] = holding = [];
                }

                holding.Add(fact);
                if (!_contests.TryGetValue(key, out var set))
                {
                    _contests[key] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(fact.Contest.Id);
            }
        }

        foreach (var (key, n) in df)
        {
            _idf[key] = Math.Log(1 + (double)all.Count / n);
        }
    }

    public IReadOnlyList<ContestFact> Facts { get; }

    public IReadOnlyList<ContestFact> Of(Contest contest) => _byContest.GetValueOrDefault(contest.Id) ?? [];

    /// <summary>How telling a key is: rare keys weigh more; a key no fact holds weighs nothing.</summary>
    public double Idf(string key) => _idf.GetValueOrDefault(key);

    /// <summary>The facts (of every contest) that hold <paramref name="key"/>.</summary>
    public IReadOnlyList<ContestFact> FactsWith(string key) => _factsWith.TryGetValue(key, out var facts) ? facts : [];

    /// <summary>The contests whose facts hold <paramref name="key"/>.</summary>
    public IReadOnlySet<string> ContestsWith(string key) => _contests.TryGetValue(key, out var set) ? set : EmptySet;

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>The folded text with abbreviations expanded ("sdt" → "so dien thoai"), for phrase cues.</summary>
    public string Fold(string text) => _normalizer.Normalize(text).Folded;

    /// <summary>Folded words that are not stopwords, and every pair of neighbouring words within a clause (not across punctuation).</summary>
    public IEnumerable<string> Keys(string text) => Clauses().Split(text).SelectMany(ClauseKeys);

    [System.Text.RegularExpressions.GeneratedRegex(@"[,.;:!?()\[\]“”""–]|\s-\s")]
    private static partial System.Text.RegularExpressions.Regex Clauses();

    private IEnumerable<string> ClauseKeys(string clause)
    {
        var normalized = _normalizer.Normalize(clause);
        var tokens = normalized.FoldedTokens;
        var accented = normalized.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            // "bao" is "báo" (newspaper, report) unless it is "bao giờ", "bao nhiêu", "bao lâu".
            var questionWord = tokens[i] == "bao" && i + 1 < tokens.Count && tokens[i + 1] is "gio" or "nhieu" or "lau";
            if (!questionWord && !Stopwords.Contains(tokens[i]) && (tokens[i].Length > 1 || char.IsDigit(tokens[i][0])))
            {
                yield return tokens[i];
                // The word as written, when it has marks: "báo" tells itself from "bảo" where both fold to "bao".
                if (accented[i] != tokens[i])
                {
                    yield return accented[i];
                }
            }

            if (i + 1 < tokens.Count && !(Stopwords.Contains(tokens[i]) && Stopwords.Contains(tokens[i + 1])))
            {
                yield return tokens[i] + " " + tokens[i + 1];
                if (accented[i] != tokens[i] || accented[i + 1] != tokens[i + 1])
                {
                    yield return accented[i] + " " + accented[i + 1];
                }
            }
        }
    }
}
