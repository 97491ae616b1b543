using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CcBot.Host.Tests.Console;

/// <summary>
/// The console in Chromium (Playwright): a staff member signs in, sees an escalation a Direct Line conversation created
/// appear in the queue without reloading (SignalR), replies and the Direct Line client receives it; then adds the question
/// to the FAQ and the bot answers the next user by itself. A missing browser fails the test (never skips).
/// </summary>
public sealed class ConsoleBrowserTests : BrowserTest
{
    [Fact]
    public async Task Staff_see_a_direct_line_escalation_live_reply_to_it_and_add_it_to_the_faq()
    {
        await Host.Services.GetRequiredService<StaffAccounts>().AddAsync("mai", StaffRoles.HelpDesk, ConsoleClient.Password, CancellationToken.None);
        var page = await Browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(new Uri(Host.BaseAddress, "console/helpdesk").ToString());
        await page.Locator("#UserName").FillAsync("mai");
        await page.Locator("#Password").FillAsync(ConsoleClient.Password);
        await page.Locator("#login").ClickAsync();
        await page.WaitForURLAsync("**/console/helpdesk");
        await page.Locator("body[data-live='1']").WaitForAsync(new() { Timeout = 30_000 });

        // The escalation appears in the open queue page without a reload.
        const string question = "nếu mất điện giữa chừng thì thế nào";
        var chat = new DirectLineClient(Host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        await chat.AskAsync(question);
        var link = page.Locator("#queue a.ticket-link", new() { HasText = question });
        await link.WaitForAsync(new() { Timeout = 30_000 });
        await link.ClickAsync();

        await page.Locator("#claim").ClickAsync();
        await page.Locator("#notice").WaitForAsync();
        await page.Locator("#ReplyText").FillAsync("Chào bạn, bài làm được lưu tự động; bạn đăng nhập lại và làm tiếp nhé.");
        await page.Locator("#send-reply").ClickAsync();
        await page.Locator("#transcript", new() { HasText = "bài làm được lưu tự động" }).WaitForAsync();
        var received = (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).ToList();
        received.Should().Contain("Chào bạn, bài làm được lưu tự động; bạn đăng nhập lại và làm tiếp nhé.");

        // The user's next message is relayed to the open ticket page live, and the bot stays quiet.
        (await chat.AskAsync("Cảm ơn, tôi sẽ thử lại ngay")).Should().BeEmpty();
        await page.Locator("#transcript", new() { HasText = "tôi sẽ thử lại ngay" }).WaitForAsync(new() { Timeout = 30_000 });

        await page.Locator("#FaqAnswer").FillAsync("Nếu mất điện khi đang thi, bạn đăng nhập lại: bài làm được lưu tự động.");
        await page.Locator("#add-faq").ClickAsync();
        await page.Locator("#notice", new() { HasText = "Đã thêm vào FAQ" }).WaitForAsync();
        await page.Locator("#resolve").ClickAsync();
        await page.Locator("#status", new() { HasText = "Đã đóng" }).WaitForAsync();

        var next = new DirectLineClient(Host.Http);
        await next.StartAsync();
        await next.GetBotMessagesAsync();
        (await next.AskAsync("Nếu mất điện giữa chừng thì thế nào?")).Should().Contain("bài làm được lưu tự động");

        Directory.CreateDirectory(Path.Combine(Host.DataFolder, "screens"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Host.DataFolder, "screens", "ticket.png"), FullPage = true });
        errors.Should().BeEmpty();
    }
}
