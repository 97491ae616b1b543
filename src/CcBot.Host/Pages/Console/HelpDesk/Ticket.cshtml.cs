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

    /// <summary>The outcome of the last action, as a code in the redirect URL (no TempData: live refreshes would race for it).</summary>
    [BindProperty(SupportsGet = true, Name = "notice")]
    public string? Notice { get; set; }

    public string? Message => Notice switch
    {
        "claimed" => "Bạn đã nhận xử lý yêu cầu.",
        "claim_failed" => "Không nhận được: yêu cầu đã đóng hoặc đã có người xử lý.",
        "replied" => "Đã gửi trả lời.",
        "reply_failed" => "Không gửi được trả lời.",
        "resolved" => "Đã kết thúc; bot tiếp tục trả lời.",
        "resolve_failed" => "Không kết thúc được yêu cầu.",
        "faq_missing" => "Cần nhập cả câu hỏi và câu trả lời.",
        "intent_invalid" => "Ý định không hợp lệ.",
        "faq_added" => "Đã thêm vào FAQ; bot đã được huấn luyện lại.",
        _ => null,
    };

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

        Ticket = ticket;
        Now = time.GetUtcNow();
        Transcript = await RecentTranscriptAsync(conversations, ticket.ConversationKey, 50, cancellationToken);
        var audit = await helpDesk.Store.ReadAuditAsync(500, cancellationToken);
        LastStaffReply = audit.FirstOrDefault(a => a.Action == "ticket.reply" && a.Target == "ticket:" + id)?.Detail;
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(long id, CancellationToken cancellationToken)
    {
        return Done(id, await helpDesk.ClaimAsync(id, User.StaffName(), cancellationToken) ? "claimed" : "claim_failed");
    }

    public async Task<IActionResult> OnPostReplyAsync(long id, CancellationToken cancellationToken)
    {
        return Done(id, !string.IsNullOrWhiteSpace(ReplyText) && await helpDesk.ReplyAsync(id, User.StaffName(), ReplyText, cancellationToken) ? "replied" : "reply_failed");
    }

    public async Task<IActionResult> OnPostResolveAsync(long id, CancellationToken cancellationToken)
    {
        return Done(id, await helpDesk.ResolveAsync(id, User.StaffName(), cancellationToken) ? "resolved" : "resolve_failed");
    }

    public async Task<IActionResult> OnPostFaqAsync(long id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(FaqQuestion) || string.IsNullOrWhiteSpace(FaqAnswer))
        {
            return Done(id, "faq_missing");
        }

        var intent = string.IsNullOrWhiteSpace(FaqIntent) ? null : FaqIntent;
        if (intent is not null && !CcBot.Nlu.IntentNames.IsKnown(intent))
        {
            return Done(id, "intent_invalid");
        }

        var ticket = await helpDesk.Store.GetAsync(id, cancellationToken);
        var entry = await helpDesk.AddToFaqAsync(FaqQuestion, FaqAnswer, intent, ticket?.ContestId, ticket is null ? null : id, User.StaffName(), cancellationToken);
        _ = entry;
        return Done(id, "faq_added");
    }

    private RedirectToPageResult Done(long id, string notice) => RedirectToPage(new { id, notice });

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
