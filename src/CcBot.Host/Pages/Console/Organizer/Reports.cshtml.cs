using CcBot.Core.Contests;
using CcBot.Core.HelpDesk;
using CcBot.Core.Quiz;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class ReportsModel(ContestCatalog catalog, ParticipationReport participation, IConsoleReports reports, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    public IReadOnlyList<Contest> Contests => catalog.Contests;

    [BindProperty(SupportsGet = true, Name = "contest")]
    public string? Contest { get; set; }

    public ParticipationData? Participation { get; private set; }

    public IReadOnlyList<DailyVolume> Volume { get; private set; } = [];

    public IReadOnlyList<UnansweredQuestion> Unanswered { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Contest is not null)
        {
            if (catalog.Find(Contest) is null)
            {
                return NotFound();
            }

            Participation = await participation.BuildAsync(Contest, cancellationToken);
        }

        Volume = await reports.VolumePerDayAsync(time.GetUtcNow(), 30, cancellationToken);
        Unanswered = await reports.TopUnansweredAsync(20, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken cancellationToken)
    {
        if (Contest is null || catalog.Find(Contest) is null)
        {
            return NotFound();
        }

        var data = await participation.BuildAsync(Contest, cancellationToken);
        var folder = Path.Combine(Path.GetTempPath(), "ccbot-console-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "participation.xlsx");
        try
        {
            participation.Write(data, path);
            var bytes = await System.IO.File.ReadAllBytesAsync(path, cancellationToken);
            await audit.AuditAsync(User.StaffName(), "report.participation", "contest:" + Contest, null, time.GetUtcNow(), cancellationToken);
            return File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"tham-gia-{Contest}.xlsx");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
