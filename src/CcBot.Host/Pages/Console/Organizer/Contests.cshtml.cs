using System.Text;
using System.Text.RegularExpressions;
using CcBot.Core;
using CcBot.Core.Contests;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

[RequestSizeLimit(NoticeIngestor.MaxFileBytes + 100_000)]
public sealed partial class ContestsModel(ContentPaths paths, ContestCatalog catalog, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    public sealed record ContestFile(string File, string? Title, bool Draft, bool Live);

    public IReadOnlyList<ContestFile> Files { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? NewId { get; set; }

    [BindProperty]
    public IFormFile? Notice { get; set; }

    public void OnGet()
    {
        Files = Directory.Exists(paths.Contests)
            ? Directory.EnumerateFiles(paths.Contests, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(name =>
            {
                var draft = name!.EndsWith(ContestValidator.DraftSuffix, StringComparison.OrdinalIgnoreCase);
                var id = IdOf(name);
                var live = catalog.Find(id);
                return new ContestFile(name, live?.Title, draft, !draft && live is not null);
            }).ToList()
            : [];
    }

    public async Task<IActionResult> OnPostIngestAsync(CancellationToken cancellationToken)
    {
        if (NewId is null || !IdRegex().IsMatch(NewId) || Notice is null || Notice.Length == 0)
        {
            Message = "Cần mã cuộc thi hợp lệ và một tệp thông báo.";
            return RedirectToPage();
        }

        var folder = Path.Combine(Path.GetTempPath(), "ccbot-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, NewId + Path.GetExtension(Notice.FileName).ToLowerInvariant());
            await using (var file = System.IO.File.Create(path))
            {
                await Notice.CopyToAsync(file, cancellationToken);
            }

            var result = NoticeIngestor.IngestText(NoticeIngestor.ReadText(path), NewId);
            var yaml = NoticeIngestor.ToYaml(result.Draft with { Id = NewId });
            var draftName = NewId + ContestValidator.DraftSuffix;
            await System.IO.File.WriteAllTextAsync(Path.Combine(paths.Contests, draftName), yaml, new UTF8Encoding(false), cancellationToken);
            await audit.AuditAsync(User.StaffName(), "contest.ingest", "contest:" + NewId, Notice.FileName, time.GetUtcNow(), cancellationToken);
            Message = $"Đã tạo bản nháp {draftName}; hãy rà soát trước khi áp dụng." + (result.Warnings.Count > 0 ? " Lưu ý: " + string.Join("; ", result.Warnings) : string.Empty);
            return Redirect("/console/organizer/contest?file=" + Uri.EscapeDataString(draftName));
        }
        catch (Exception ex) when (ex is NoticeIngestException or IOException or InvalidDataException)
        {
            Message = "Không đọc được thông báo: " + ex.Message;
            return RedirectToPage();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string IdOf(string fileName) =>
        fileName.EndsWith(ContestValidator.DraftSuffix, StringComparison.OrdinalIgnoreCase)
            ? fileName[..^ContestValidator.DraftSuffix.Length]
            : Path.GetFileNameWithoutExtension(fileName);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    public static partial Regex IdRegex();
}
