using CcBot.Core.HelpDesk;
using CcBot.Core.Pipeline;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

public sealed class QueueModel(IHelpDeskStore store, IConversationStore conversations, TimeProvider time) : PageModel
{
    public sealed record Row(Ticket Ticket, IReadOnlyList<TranscriptEntry> Recent);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var rows = new List<Row>();
        foreach (var t in await store.ListAsync(open: true, 200, cancellationToken))
        {
            var transcript = await TicketModel.RecentTranscriptAsync(conversations, t.ConversationKey, 3, cancellationToken);
            rows.Add(new Row(t, transcript));
        }

        Rows = rows;
    }

    public static string Waiting(TimeSpan span) =>
        span.TotalMinutes < 1 ? "< 1 phút"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} phút"
        : span.TotalDays < 1 ? $"{(int)span.TotalHours} giờ {span.Minutes} phút"
        : $"{(int)span.TotalDays} ngày";

    public static string ReasonLabel(string reason) => reason switch
    {
        "human" => "Gặp cán bộ",
        "low_confidence" => "Bot chưa chắc chắn",
        "unhelpful" => "Người dùng báo chưa hữu ích",
        "dispute" => "Phản ánh về kết quả bài thi",
        _ => reason,
    };
}
