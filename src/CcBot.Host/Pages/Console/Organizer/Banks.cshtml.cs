using CcBot.Core.Contests;
using CcBot.Core.HelpDesk;
using CcBot.Core.Quiz;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

[RequestSizeLimit(20_000_000)]
public sealed class BanksModel(ContestCatalog catalog, BankImporter importer, IHelpDeskStore audit, TimeProvider time) : PageModel
{
    public IReadOnlyList<Contest> Contests => catalog.Contests;

    [BindProperty]
    public string? ContestId { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public bool SkipBad { get; set; }

    public BankImportReport? Report { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ContestId is null || catalog.Find(ContestId) is null)
        {
            Error = "Cuộc thi không tồn tại.";
            return Page();
        }

        var extension = Path.GetExtension(Upload?.FileName ?? string.Empty).ToLowerInvariant();
        if (Upload is null || Upload.Length == 0 || extension is not (".csv" or ".xlsx"))
        {
            Error = "Hãy chọn một tệp .csv hoặc .xlsx.";
            return Page();
        }

        var folder = Path.Combine(Path.GetTempPath(), "ccbot-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "bank" + extension);
        try
        {
            await using (var file = System.IO.File.Create(path))
            {
                await Upload.CopyToAsync(file, cancellationToken);
            }

            Report = await importer.ImportAsync(ContestId, path, SkipBad, cancellationToken);
            await audit.AuditAsync(User.StaffName(), "bank.import", "contest:" + ContestId,
                $"{Upload.FileName}: imported {Report.Imported}, rejected {Report.Rejected}, stored {Report.Stored}", time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            Error = "Không đọc được tệp: " + ex.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return Page();
    }
}
