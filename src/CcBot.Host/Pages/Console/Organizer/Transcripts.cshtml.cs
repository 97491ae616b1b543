using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class TranscriptsModel(IConsoleReports reports, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "text")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public DateOnly? To { get; set; }

    public bool Searched { get; private set; }

    public IReadOnlyList<TranscriptHit> Hits { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserFilter) && string.IsNullOrWhiteSpace(Text) && From is null && To is null)
        {
            return;
        }

        Searched = true;
        Hits = await reports.SearchTranscriptAsync(UserFilter, Text, From, To, 500, cancellationToken);
        await audit.AuditAsync(User.StaffName(), "transcript.search", null, $"user={UserFilter} text={Text} from={From} to={To}", time.GetUtcNow(), cancellationToken);
    }
}
