using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class LogoutModel(IHelpDeskStore audit, TimeProvider time) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Console/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await audit.AuditAsync(User.StaffName(), "logout", null, null, time.GetUtcNow(), cancellationToken);
        await HttpContext.SignOutAsync(ConsoleSetup.Scheme);
        return Redirect("/console/login");
    }
}
