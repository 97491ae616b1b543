using System.Text;

namespace CcBot.Core.Contests;

/// <summary>The <c>ccbot contests ...</c> verbs. Output is for the operator; the return value is the process exit code.</summary>
public static class ContestCommands
{
    /// <summary><c>ccbot contests validate</c>: checks every contest file; 0 when all are valid, 1 otherwise.</summary>
    public static int Validate(string contestsDir, TextWriter output)
    {
        ContestValidationReport report;
        try
        {
            report = ContestValidator.ValidateFolder(contestsDir);
        }
        catch (DirectoryNotFoundException ex)
        {
            output.WriteLine("error: " + ex.Message);
            return 1;
        }

        foreach (var draft in report.SkippedDrafts)
        {
            output.WriteLine($"skipped draft (never loaded): {draft}");
        }

        foreach (var issue in report.Issues)
        {
            output.WriteLine("error: " + issue);
        }

        if (!report.IsValid)
        {
            output.WriteLine($"{report.Issues.Count} error(s) in {contestsDir}");
            return 1;
        }

        output.WriteLine($"OK: {report.Contests.Count} contest file(s) valid ({string.Join(", ", report.Contests.Select(c => c.Id))})");
        return 0;
    }

    /// <summary>
    /// <c>ccbot contests ingest FILE [--out PATH]</c>: extracts a draft from a notice and writes <c>&lt;id&gt;.draft.yaml</c>
    /// (next to the file unless <paramref name="outPath"/> names a file or folder). 0 on success, 1 on error (nothing written).
    /// </summary>
    public static int Ingest(string file, string? outPath, TextWriter output)
    {
        IngestResult result;
        try
        {
            result = NoticeIngestor.Ingest(file);
        }
        catch (NoticeIngestException ex)
        {
            output.WriteLine("error: " + ex.Message);
            return 1;
        }

        var fileName = result.Draft.Id + ContestValidator.DraftSuffix;
        string target;
        if (outPath is null)
        {
            target = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, fileName);
        }
        else if (Directory.Exists(outPath) || outPath.EndsWith(Path.DirectorySeparatorChar) || outPath.EndsWith('/'))
        {
            target = Path.Combine(outPath, fileName);
        }
        else
        {
            target = outPath;
            if (!target.EndsWith(ContestValidator.DraftSuffix, StringComparison.OrdinalIgnoreCase))
            {
                output.WriteLine($"error: the output file must end with {ContestValidator.DraftSuffix} so that it is never loaded as a published contest: {outPath}");
                return 1;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        File.WriteAllText(target, NoticeIngestor.ToYaml(result.Draft), new UTF8Encoding(false));
        foreach (var warning in result.Warnings)
        {
            output.WriteLine("warning: " + warning);
        }

        output.WriteLine($"draft written: {target}");
        return 0;
    }
}
