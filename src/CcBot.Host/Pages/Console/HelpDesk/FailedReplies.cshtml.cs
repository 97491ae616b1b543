using CcBot.Core.Pipeline;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CcBot.Host.Pages.StaffConsole;

/// <summary>Replies the bot gave up sending (attempts used up, or refused by the channel), newest first.</summary>
public sealed class FailedRepliesModel(FailedReplies replies) : PageModel
{
    public IReadOnlyList<FailedReply> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await replies.ListAsync(200, cancellationToken);
}
