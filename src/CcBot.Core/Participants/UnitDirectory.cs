using System.Collections.Concurrent;
using CcBot.Core.Dialogs;
using CcBot.Core.Quiz.Import;

namespace CcBot.Core.Participants;

/// <summary>
/// The units (đơn vị) a contest's participants belong to, from <c>data/units/&lt;contest-id&gt;.csv</c> (column <c>unit</c>),
/// searchable by any part of the name, with or without diacritics.
/// </summary>
public sealed class UnitDirectory(ContentPaths paths)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _units = new(StringComparer.Ordinal);

    /// <summary>The contest's units; empty when the contest has no list (then any typed unit is accepted).</summary>
    public IReadOnlyList<string> For(string contestId) => _units.GetOrAdd(contestId, Load);

    public IReadOnlyList<string> Search(string contestId, string text)
    {
        var units = For(contestId);
        var query = CcBot.Nlu.DiacriticFolder.FoldForMatching(text);
        if (query.Length == 0)
        {
            return [];
        }

        var exact = units.Where(u => CcBot.Nlu.DiacriticFolder.FoldForMatching(u) == query).ToArray();
        if (exact.Length > 0)
        {
            return exact;
        }

        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return units.Where(u =>
        {
            var folded = CcBot.Nlu.DiacriticFolder.FoldForMatching(u);
            return words.All(w => folded.Contains(w, StringComparison.Ordinal));
        }).ToArray();
    }

    private IReadOnlyList<string> Load(string contestId)
    {
        var file = Path.Combine(paths.Data, "units", contestId + ".csv");
        if (!File.Exists(file))
        {
            return [];
        }

        var table = TabularFile.ReadCsv(file);
        var column = Math.Max(0, table.Headers.ToList().IndexOf("unit"));
        return table.Rows.Select(r => r.Get(column)).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }
}
