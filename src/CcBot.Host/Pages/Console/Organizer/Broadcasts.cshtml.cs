using CcBot.Core.Broadcasts;
using CcBot.Core.HelpDesk;
using CcBot.Core.Outbox;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class BroadcastsModel(BroadcastService broadcasts, HelpDeskStore audit, TimeProvider time) : PageModel
{
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
