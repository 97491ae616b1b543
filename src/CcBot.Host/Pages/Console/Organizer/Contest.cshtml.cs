using System.Text;
using System.Text.RegularExpressions;
using CcBot.Core;
using CcBot.Core.Contests;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

/// <summary>View and edit one contest file (or a draft from a notice) with validation; a draft is published only when valid.</summary>
public sealed partial class ContestModel(ContentPaths paths, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "file")]
    public string FileName { get; set; } = string.Empty;

    [BindProperty]
    public string? Yaml { get; set; }

    public IReadOnlyList<ContestIssue> Issues { get; private set; } = [];

    public bool IsDraft => FileName.EndsWith(ContestValidator.DraftSuffix, StringComparison.OrdinalIgnoreCase);

    [TempData]
    public string? Message { get; set; }

    private string? FullPath => FileRegex().IsMatch(FileName) ? Path.Combine(paths.Contests, FileName) : null;

    private string LiveName => ContestsModel.IdOf(FileName) + ".yaml";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (FullPath is not { } path || !System.IO.File.Exists(path))
        {
            return NotFound();
        }

        Yaml = await System.IO.File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        Issues = ContestValidator.ValidateContent(LiveName, Yaml);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (FullPath is not { } path || !System.IO.File.Exists(path))
        {
            return NotFound();
        }

        Yaml ??= string.Empty;
        Issues = ContestValidator.ValidateContent(LiveName, Yaml);
        if (Issues.Count > 0 && !IsDraft)
        {
            Message = "Chưa lưu: nội dung có lỗi.";
            return Page();
        }

        await System.IO.File.WriteAllTextAsync(path, Yaml, new UTF8Encoding(false), cancellationToken);
        await audit.AuditAsync(User.StaffName(), "contest.save", "contest:" + FileName, Issues.Count == 0 ? "valid" : $"{Issues.Count} issues (draft)", time.GetUtcNow(), cancellationToken);
        Message = Issues.Count == 0 ? "Đã lưu." : "Đã lưu bản nháp; còn lỗi cần sửa trước khi áp dụng.";
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        if (!IsDraft || FullPath is not { } path || !System.IO.File.Exists(path))
        {
            return NotFound();
        }

        Yaml ??= string.Empty;
        Issues = ContestValidator.ValidateContent(LiveName, Yaml);
        if (Issues.Count > 0)
        {
            Message = "Chưa áp dụng: bản nháp còn lỗi.";
            return Page();
        }

        var live = Path.Combine(paths.Contests, LiveName);
        await System.IO.File.WriteAllTextAsync(live, Yaml, new UTF8Encoding(false), cancellationToken);
        System.IO.File.Delete(path);
        await audit.AuditAsync(User.StaffName(), "contest.publish", "contest:" + LiveName, null, time.GetUtcNow(), cancellationToken);
        Message = $"Đã áp dụng {LiveName} (có hiệu lực sau khi khởi động lại dịch vụ).";
        return Redirect("/console/organizer/contest?file=" + Uri.EscapeDataString(LiveName));
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}(\.draft)?\.yaml$")]
    private static partial Regex FileRegex();
}
