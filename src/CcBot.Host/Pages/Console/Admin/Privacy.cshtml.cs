using System.Text;
using CcBot.Core.Privacy;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

/// <summary>A participant's request under Nghị định 13/2023/NĐ-CP handled by an admin: download their data, or erase them; both audited.</summary>
public sealed class PrivacyModel(StaffPrivacy privacy) : PageModel
{
    [TempData]
    public string? Message { get; set; }

    /// <summary>channel:id or the profile number.</summary>
    [BindProperty]
    public string Subject { get; set; } = string.Empty;

    /// <summary>The same person typed again before an erasure.</summary>
    [BindProperty]
    public string Confirm { get; set; } = string.Empty;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostExportAsync(CancellationToken cancellationToken)
    {
        var (document, error) = await privacy.ExportAsync(User.StaffName(), Subject, cancellationToken);
        if (document is null)
        {
            Message = "Không tìm thấy: " + error;
            return RedirectToPage();
        }

        return File(Encoding.UTF8.GetBytes(PersonalDataExport.ToText(document)), "application/json; charset=utf-8", "du-lieu-ca-nhan.json");
    }

    public async Task<IActionResult> OnPostEraseAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Subject) || !string.Equals(Subject.Trim(), Confirm.Trim(), StringComparison.Ordinal))
        {
            Message = "Để xoá, hãy gõ lại đúng mã người dùng vào ô xác nhận. Chưa xoá gì.";
            return RedirectToPage();
        }

        var (result, error) = await privacy.EraseAsync(User.StaffName(), Subject, cancellationToken);
        Message = result is null
            ? "Không tìm thấy: " + error
            : $"Đã xoá dữ liệu của {Subject.Trim()} (nay là {result.AnonymousId}): {result.Messages} tin nhắn, {result.Conversations} cuộc trò chuyện, " +
              $"{result.Tickets} câu hỏi hỗ trợ; {result.QuizAttempts} lượt thi và {result.Entries} bài dự thi được giữ không kèm họ tên.";
        return RedirectToPage();
    }
}
