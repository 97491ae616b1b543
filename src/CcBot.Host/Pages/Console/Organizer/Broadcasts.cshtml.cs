using CcBot.Core.Broadcasts;
using CcBot.Core.HelpDesk;
using CcBot.Core.Outbox;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class BroadcastsModel(BroadcastService broadcasts, IConsoleReports reports, CcBot.Core.Contests.ContestCatalog catalog, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public BroadcastAudience Audience { get; set; }

    [BindProperty]
    public string? AudienceValue { get; set; }

    /// <summary>Vietnam local time from a datetime-local input (yyyy-MM-ddTHH:mm); empty means now.</summary>
    [BindProperty]
    public string? SendAt { get; set; }

    [BindProperty]
    public string? Links { get; set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public int? PreviewCount { get; private set; }

    public static string AudienceLabel(BroadcastAudience a) => a switch
    {
        BroadcastAudience.Everyone => "Tất cả",
        BroadcastAudience.Contest => "Người đăng ký nhắc nhở của một cuộc thi",
        BroadcastAudience.Unit => "Một đơn vị",
        BroadcastAudience.Channel => "Một kênh",
        _ => a.ToString(),
    };

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        Errors = Draft().Errors;
        if (Errors.Count == 0)
        {
            PreviewCount = await reports.CountAudienceAsync(Audience, string.IsNullOrWhiteSpace(AudienceValue) ? null : AudienceValue.Trim(), cancellationToken);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var (draft, errors) = Draft();
        if (errors.Count > 0 || draft is null)
        {
            Errors = errors;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        var (id, recipients) = await broadcasts.CreateAsync(draft, cancellationToken);
        await audit.AuditAsync(User.StaffName(), "broadcast.create", "broadcast:" + id,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Audience} {AudienceValue}: {recipients} recipients at {draft.SendAt:O}"), time.GetUtcNow(), cancellationToken);
        Message = $"Đã lên lịch thông báo #{id} tới {recipients} cuộc trò chuyện.";
        return RedirectToPage();
    }

    private (BroadcastDraft? Draft, IReadOnlyList<string> Errors) Draft()
    {
        var errors = new List<string>();
        var sendAt = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(SendAt))
        {
            if (DateTime.TryParseExact(SendAt, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            {
                sendAt = new DateTimeOffset(local, CcBot.Core.Time.VietnamTime.Offset);
            }
            else
            {
                errors.Add("Thời điểm gửi không hợp lệ.");
            }
        }

        var links = new List<CcBot.Core.Activities.ReplyButton>();
        foreach (var line in (Links ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0)
            {
                errors.Add($"Liên kết '{line}' phải có dạng Tiêu đề|https://...");
                continue;
            }

            links.Add(CcBot.Core.Activities.ReplyButton.Link(line[..bar].Trim(), line[(bar + 1)..].Trim()));
        }

        var draft = new BroadcastDraft(Text ?? string.Empty, links, Audience, string.IsNullOrWhiteSpace(AudienceValue) ? null : AudienceValue.Trim(), sendAt, User.StaffName());
        errors.AddRange(BroadcastService.Validate(draft));
        if (Audience == BroadcastAudience.Contest && draft.AudienceValue is { } contest && catalog.Find(contest) is null)
        {
            errors.Add($"Không có cuộc thi '{contest}'.");
        }

        return (errors.Count == 0 ? draft : null, errors);
    }

    public IReadOnlyList<(Broadcast Broadcast, OutboxReport? Report)> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(Broadcast, OutboxReport?)>();
        foreach (var b in await broadcasts.ListAsync(100, cancellationToken))
        {
            rows.Add((b, (await broadcasts.StatusAsync(b.Id, cancellationToken))?.Report));
        }

        Rows = rows;
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken cancellationToken)
    {
        var cancelled = await broadcasts.CancelAsync(id, cancellationToken);
        await audit.AuditAsync(User.StaffName(), "broadcast.cancel", "broadcast:" + id, cancelled?.ToString(System.Globalization.CultureInfo.InvariantCulture), time.GetUtcNow(), cancellationToken);
        Message = cancelled is null ? "Không tìm thấy thông báo." : $"Đã hủy thông báo #{id} ({cancelled} tin chưa gửi).";
        return RedirectToPage();
    }
}
