using CcBot.Core.HelpDesk;
using CcBot.Core.Pipeline;
using CcBot.Host.StaffConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class TicketModel(HelpDeskService helpDesk, IConversationStore conversations, TimeProvider time) : PageModel
{
    public Ticket Ticket { get; private set; } = null!;

    public IReadOnlyList<TranscriptEntry> Transcript { get; private set; } = [];

    public string? LastStaffReply { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? ReplyText { get; set; }

    [BindProperty]
    public string? FaqQuestion { get; set; }

    [BindProperty]
    public string? FaqAnswer { get; set; }

    [BindProperty]
    public string? FaqIntent { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await helpDesk.Store.GetAsync(id, cancellationToken) is not { } ticket)
        {
            return NotFound();
        }

        if (Request.Headers.XRequestedWith == "fetch")
        {
            TempData.Keep(); // a live refresh must not consume the notice the next navigation shows
        }

        Ticket = ticket;
        Now = time.GetUtcNow();
        Transcript = await RecentTranscriptAsync(conversations, ticket.ConversationKey, 50, cancellationToken);
        var audit = await helpDesk.Store.ReadAuditAsync(500, cancellationToken);
        LastStaffReply = audit.FirstOrDefault(a => a.Action == "ticket.reply" && a.Target == "ticket:" + id).Detail;
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(long id, CancellationToken cancellationToken)
    {
        Message = await helpDesk.ClaimAsync(id, User.StaffName(), cancellationToken) ? "Bạn đã nhận xử lý yêu cầu." : "Không nhận được: yêu cầu đã đóng hoặc đã có người xử lý.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostReplyAsync(long id, CancellationToken cancellationToken)
    {
        Message = !string.IsNullOrWhiteSpace(ReplyText) && await helpDesk.ReplyAsync(id, User.StaffName(), ReplyText, cancellationToken)
            ? "Đã gửi trả lời."
            : "Không gửi được trả lời.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostResolveAsync(long id, CancellationToken cancellationToken)
    {
        Message = await helpDesk.ResolveAsync(id, User.StaffName(), cancellationToken) ? "Đã kết thúc; bot tiếp tục trả lời." : "Không kết thúc được yêu cầu.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostFaqAsync(long id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(FaqQuestion) || string.IsNullOrWhiteSpace(FaqAnswer))
        {
            Message = "Cần nhập cả câu hỏi và câu trả lời.";
            return RedirectToPage(new { id });
        }

        var intent = string.IsNullOrWhiteSpace(FaqIntent) ? null : FaqIntent;
        if (intent is not null && !CcBot.Nlu.IntentNames.IsKnown(intent))
        {
            Message = "Ý định không hợp lệ.";
            return RedirectToPage(new { id });
        }

        var ticket = await helpDesk.Store.GetAsync(id, cancellationToken);
        var entry = await helpDesk.AddToFaqAsync(FaqQuestion, FaqAnswer, intent, ticket?.ContestId, ticket is null ? null : id, User.StaffName(), cancellationToken);
        Message = $"Đã thêm vào FAQ ({entry.FaqId}); bot đã được huấn luyện lại.";
        return RedirectToPage(new { id });
    }

    /// <summary>The last <paramref name="count"/> messages of a conversation (inbound and outbound), oldest first.</summary>
    public static async Task<IReadOnlyList<TranscriptEntry>> RecentTranscriptAsync(IConversationStore store, string conversationKey, int count, CancellationToken cancellationToken)
    {
        var all = new List<TranscriptEntry>();
        long after = 0;
        while (true)
        {
            var page = await store.ReadTranscriptAsync(conversationKey, after, 500, cancellationToken);
            all.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }

            after = page[^1].Seq;
        }

        return all.Where(e => !string.IsNullOrEmpty(e.Text) || !string.IsNullOrEmpty(e.Value)).TakeLast(count).ToList();
    }
}
