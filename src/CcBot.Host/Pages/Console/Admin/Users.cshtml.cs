using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class UsersModel(StaffAccounts accounts, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    public IReadOnlyList<StaffAccount> Accounts { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string NewUserName { get; set; } = string.Empty;

    [BindProperty]
    public string NewRole { get; set; } = string.Empty;

    [BindProperty]
    public string NewPassword { get; set; } = string.Empty;

    [BindProperty]
    public string? Target { get; set; }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Target) && await accounts.UnlockAsync(Target, cancellationToken))
        {
            await audit.AuditAsync(User.StaffName(), "user.unlock", "staff:" + Target, null, time.GetUtcNow(), cancellationToken);
            Message = $"Đã mở khóa {Target}.";
        }

        return RedirectToPage();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Accounts = await accounts.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var account = await accounts.AddAsync(NewUserName, NewRole, NewPassword, cancellationToken);
            await audit.AuditAsync(User.StaffName(), "user.add", "staff:" + account.UserName, account.Role, time.GetUtcNow(), cancellationToken);
            Message = $"Đã tạo tài khoản {account.UserName} ({account.Role}).";
        }
        catch (ArgumentException ex)
        {
            Message = ex.Message;
        }

        return RedirectToPage();
    }
}
