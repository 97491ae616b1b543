using System.Globalization;
using CcBot.Core.HelpDesk;
using CcBot.Core.Nlu;
using CcBot.Host.StaffConsole;
using CcBot.Nlu;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class MisunderstoodModel(HelpDeskService helpDesk, NluEngineHolder nlu) : PageModel
{
    public IReadOnlyList<MisunderstoodGroup> Groups { get; private set; } = [];

    public IReadOnlyList<FaqDocument> FaqDocuments { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string Ids { get; set; } = string.Empty;

    [BindProperty]
    public string? Intent { get; set; }

    [BindProperty]
    public string? FaqId { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            TempData.Keep(); // a live refresh must not consume the notice the next navigation shows
        }

        if (nlu.Loaded is not { } engine)
        {
            Message ??= "Bộ phân loại ý định chưa tải xong (xem nhật ký máy chủ): chưa nhóm được tin nhắn, hãy tải lại trang sau ít phút.";
            return;
        }

        Groups = MisunderstoodGrouping.Group(await helpDesk.Store.ListMisunderstoodAsync(500, cancellationToken), engine);
        FaqDocuments = engine.Faq.Documents.OrderBy(d => d.Question, StringComparer.Ordinal).ToList();
    }

    public async Task<IActionResult> OnPostIntentAsync(CancellationToken cancellationToken)
    {
        try
        {
            var n = await helpDesk.AssignIntentAsync(ParseIds(), Intent ?? string.Empty, User.StaffName(), cancellationToken);
            Message = $"Đã gán {n} tin nhắn cho ý định {Intent}; bot đã được huấn luyện lại.";
        }
        catch (ArgumentException ex)
        {
            Message = ex.Message;
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostFaqAsync(CancellationToken cancellationToken)
    {
        try
        {
            var n = await helpDesk.AssignFaqAsync(ParseIds(), FaqId ?? string.Empty, User.StaffName(), cancellationToken);
            Message = $"Đã gán {n} tin nhắn cho câu trả lời FAQ {FaqId}.";
        }
        catch (ArgumentException ex)
        {
            Message = ex.Message;
        }

        return RedirectToPage();
    }

    private List<long> ParseIds() =>
        Ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id > 0)
            .Take(1000)
            .ToList();
}
