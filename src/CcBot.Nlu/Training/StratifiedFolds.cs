namespace CcBot.Nlu;

/// <summary>Deterministic stratified k-fold assignment: within each class, a seeded shuffle then round-robin.</summary>
public static class StratifiedFolds
{
    public static int[] Assign(IReadOnlyList<string> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var result = new int[labels.Count];
        var random = new Random(seed);
        var offset = 0;
        foreach (var group in labels.Select((label, index) => (label, index)).GroupBy(x => x.label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.Select(x => x.index).ToArray();
            for (var i = members.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            for (var i = 0; i < members.Length; i++) result[members[i]] = (i + offset) % folds;
            offset += members.Length;
        }
        return result;
    }
}
