using System.Text;

namespace CcBot.Core.Contests;

/// <summary>The contest files cannot be used; <see cref="Issues"/> names every problem (file, field path, line).</summary>
public sealed class ContestDataException(IReadOnlyList<ContestIssue> issues)
    : Exception("Invalid contest data:" + Environment.NewLine + string.Join(Environment.NewLine, issues))
{
    public IReadOnlyList<ContestIssue> Issues { get; } = issues;
}

/// <summary>Result of checking a folder of contest files.</summary>
public sealed record ContestValidationReport(
    IReadOnlyList<Contest> Contests,
    IReadOnlyList<ContestIssue> Issues,
    IReadOnlyList<string> SkippedDrafts)
{
    public bool IsValid => Issues.Count == 0;
}

/// <summary>Checks contest files: schema, known enums, unknown keys, sources, dates, order, time zone and contact formats.</summary>
public static class ContestValidator
{
    public const string DraftSuffix = ".draft.yaml";

    /// <summary>Checks one file's content; <paramref name="fileName"/> is used in messages and must match the id.</summary>
    public static IReadOnlyList<ContestIssue> ValidateContent(string fileName, string yaml) =>
        ContestFileReader.Read(fileName, yaml).Issues;

    /// <summary>Checks one file on disk.</summary>
    public static IReadOnlyList<ContestIssue> ValidateFile(string path) =>
        ContestFileReader.Read(Path.GetFileName(path), File.ReadAllText(path, Encoding.UTF8)).Issues;

    /// <summary>Checks every <c>*.yaml</c> in <paramref name="contestsDir"/>; drafts (<c>*.draft.yaml</c>) are listed as skipped, never loaded.</summary>
    public static ContestValidationReport ValidateFolder(string contestsDir)
    {
        if (!Directory.Exists(contestsDir))
        {
            throw new DirectoryNotFoundException($"Contest folder not found: {contestsDir}");
        }

        var contests = new List<Contest>();
        var issues = new List<ContestIssue>();
        var drafts = new List<string>();
        foreach (var path in Directory.EnumerateFiles(contestsDir, "*.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(DraftSuffix, StringComparison.OrdinalIgnoreCase))
            {
                drafts.Add(name);
                continue;
            }

            var (contest, fileIssues) = ContestFileReader.Read(name, File.ReadAllText(path, Encoding.UTF8));
            issues.AddRange(fileIssues);
            if (contest is not null)
            {
                contests.Add(contest);
            }
        }

        foreach (var group in contests.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            issues.Add(new ContestIssue(group.Key + ".yaml", "id", null, "duplicate contest id"));
        }

        return new ContestValidationReport(contests, issues, drafts);
    }
}

/// <summary>All published contests, loaded once from <c>data/contests/</c>. Immutable.</summary>
public sealed class ContestCatalog
{
    private readonly Dictionary<string, Contest> _byId;

    public ContestCatalog(IEnumerable<Contest> contests, IReadOnlyList<string>? skippedDrafts = null)
    {
        Contests = contests.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        _byId = Contests.ToDictionary(c => c.Id, StringComparer.Ordinal);
        SkippedDrafts = skippedDrafts ?? [];
    }

    public IReadOnlyList<Contest> Contests { get; }

    /// <summary>Draft files present in the folder and deliberately not loaded.</summary>
    public IReadOnlyList<string> SkippedDrafts { get; }

    public Contest? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Loads every contest file; throws <see cref="ContestDataException"/> listing all problems when any file is invalid.</summary>
    public static ContestCatalog Load(string contestsDir)
    {
        var report = ContestValidator.ValidateFolder(contestsDir);
        if (!report.IsValid)
        {
            throw new ContestDataException(report.Issues);
        }

        return new ContestCatalog(report.Contests, report.SkippedDrafts);
    }
}
