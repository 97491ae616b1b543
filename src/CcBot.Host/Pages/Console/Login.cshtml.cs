using System.Security.Claims;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class LoginModel(StaffAccounts accounts, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await accounts.SignInAsync(UserName, Password, cancellationToken);
        if (result.Status != SignInStatus.Success || result.Account is not { } account)
        {
            await audit.AuditAsync(UserName, result.Status == SignInStatus.LockedOut ? "login.locked" : "login.failed", null, null, time.GetUtcNow(), cancellationToken);
            Error = result.Status == SignInStatus.LockedOut
                ? "Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau."
                : "Tên đăng nhập hoặc mật khẩu không đúng.";
            Response.StatusCode = result.Status == SignInStatus.LockedOut ? StatusCodes.Status423Locked : StatusCodes.Status401Unauthorized;
            return Page();
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, account.UserName), new Claim(ClaimTypes.Role, account.Role), new Claim("staff_id", account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            ConsoleSetup.Scheme);
        await HttpContext.SignInAsync(ConsoleSetup.Scheme, new ClaimsPrincipal(identity));
        await audit.AuditAsync(account.UserName, "login", null, null, time.GetUtcNow(), cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/console", StringComparison.Ordinal) ? ReturnUrl : "/console");
    }
}
