using CcBot.Nlu;

namespace CcBot.Core.HelpDesk;

/// <summary>Misunderstood messages that say nearly the same thing (folded-token Jaccard similarity), largest group first.</summary>
public sealed record MisunderstoodGroup(IReadOnlyList<Ticket> Tickets, string? TopIntent)
{
    public Ticket First => Tickets[0];
}

public static class MisunderstoodGrouping
{
    public static IReadOnlyList<MisunderstoodGroup> Group(IReadOnlyList<Ticket> tickets, NluEngine engine, double threshold = 0.5)
    {
        var groups = new List<(HashSet<string> Tokens, List<Ticket> Members)>();
        foreach (var t in tickets)
        {
            var tokens = new HashSet<string>(engine.Understand(t.Text).Normalized.FoldedTokens, StringComparer.Ordinal);
            var best = -1;
            var bestScore = 0.0;
            for (var i = 0; i < groups.Count; i++)
            {
                var score = Jaccard(tokens, groups[i].Tokens);
                if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }

            if (best >= 0 && bestScore >= threshold)
            {
                groups[best].Members.Add(t);
            }
            else
            {
                groups.Add((tokens, [t]));
            }
        }

        return groups
            .OrderByDescending(g => g.Members.Count)
            .Select(g => new MisunderstoodGroup(g.Members, g.Members.Where(m => m.Intent is not null).GroupBy(m => m.Intent).OrderByDescending(x => x.Count()).Select(x => x.Key).FirstOrDefault()))
            .ToList();
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var common = a.Count(b.Contains);
        return common / (double)(a.Count + b.Count - common);
    }
}
