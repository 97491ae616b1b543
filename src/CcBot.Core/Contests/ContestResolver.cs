namespace CcBot.Core.Contests;

/// <summary>
/// Finds the contest a user means from free text ("cuộc thi ở Hải Dương", "hai duong", "khanh hoa 2021")
/// or from a start payload ("/start hai-duong-2024", "hai-duong-2024"). Pure; matching ignores case and diacritics.
/// </summary>
public sealed class ContestResolver
{
    private readonly IReadOnlyList<(Contest Contest, string Id, string[] Phrases)> _entries;

    public ContestResolver(IEnumerable<Contest> contests)
    {
        _entries = contests
            .Select(c => (c, c.Id,
                c.Places.Select(CcBot.Nlu.DiacriticFolder.FoldForMatching)
                    .Append(CcBot.Nlu.DiacriticFolder.FoldForMatching(c.ShortName))
                    .Append(CcBot.Nlu.DiacriticFolder.FoldForMatching(c.Id))
                    .Where(p => p.Length > 0)
                    .Distinct()
                    .ToArray()))
            .ToArray();
    }

    /// <summary>The single contest meant by <paramref name="text"/>, or null when none or several match.</summary>
    public Contest? Resolve(string? text)
    {
        var candidates = FindCandidates(text);
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>Every contest <paramref name="text"/> may mean, best first (an exact id wins; a stated year narrows places).</summary>
    public IReadOnlyList<Contest> FindCandidates(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var raw = text.Trim();
        if (raw.StartsWith("/start", StringComparison.OrdinalIgnoreCase))
        {
            raw = raw["/start".Length..].Trim();
        }

        foreach (var e in _entries)
        {
            if (string.Equals(raw, e.Id, StringComparison.OrdinalIgnoreCase))
            {
                return [e.Contest];
            }
        }

        var folded = " " + CcBot.Nlu.DiacriticFolder.FoldForMatching(raw) + " ";
        var matches = _entries
            .Where(e => e.Phrases.Any(p => folded.Contains(" " + p + " ", StringComparison.Ordinal)))
            .Select(e => e.Contest)
            .ToList();
        if (matches.Count > 1)
        {
            var withYear = matches.Where(c => folded.Contains(" " + c.Year + " ", StringComparison.Ordinal)).ToList();
            if (withYear.Count > 0)
            {
                matches = withYear;
            }
        }

        return matches.OrderByDescending(c => c.Year).ToArray();
    }
}
