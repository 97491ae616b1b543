using CcBot.Host.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CcBot.Host.Tests.Browser;

/// <summary>
/// The chat page with the official Web Chat bundle, driven in Debian's Chromium by Playwright:
/// type a question, see the bot's answer, click a menu button. A missing browser fails the test (never skips).
/// </summary>
public sealed class WebChatBrowserTests : BrowserTest
{
    [Fact]
    public async Task Typing_a_question_shows_the_answer_and_a_menu_button_works()
    {
        var page = await Browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(new Uri(Host.BaseAddress, "?contest=hai-duong-2024").ToString());
        await page.GetByText("Xin chào").First.WaitForAsync(new() { Timeout = 30_000 });

        var input = page.GetByRole(AriaRole.Textbox).First;
        await input.FillAsync("Hạn cuối cuộc thi Hải Dương là khi nào?");
        await input.PressAsync("Enter");
        await page.GetByText("16h30 ngày 13/12/2024").First.WaitForAsync(new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Cuộc thi khác" }).First.ClickAsync();
        await page.GetByText("Bạn muốn hỏi về cuộc thi nào").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cuộc thi video clip mô hình, sáng kiến CCHC Khánh Hòa 2021" }).First.ClickAsync();
        await page.GetByText("Khánh Hòa").Last.WaitForAsync(new() { Timeout = 30_000 });

        Directory.CreateDirectory(Path.Combine(Host.DataFolder, "screens"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Host.DataFolder, "screens", "webchat.png"), FullPage = true });
        errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Menu_button_from_the_greeting_asks_which_contest_when_none_is_chosen()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(Host.BaseAddress.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Thể lệ" }).First.ClickAsync(new() { Timeout = 30_000 });
        await page.GetByText("Bạn muốn hỏi về cuộc thi nào").First.WaitForAsync(new() { Timeout = 30_000 });
    }
}
