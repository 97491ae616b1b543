using System.Net;
using CcBot.Core.HelpDesk;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Console;

/// <summary>The help desk over real HTTP: a Direct Line user asks for a human, staff claim, reply and resolve; add to FAQ.</summary>
public sealed class HelpDeskFlowTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Claim_keeps_the_bot_quiet_replies_reach_the_user_and_resolve_hands_back()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        await HelpDeskTestData.AskForHumanAsync(chat, "Tôi nộp bài nhầm tệp, có sửa được không?");
        var id = await HelpDeskTestData.SingleOpenTicketAsync(_host, chat.ConversationId);

        using var staff = await ConsoleClient.SignInAsync(_host, "lan", StaffRoles.HelpDesk);
        var queue = await staff.Http.GetStringAsync("console/helpdesk");
        queue.Should().Contain("Tôi nộp bài nhầm tệp").And.Contain("Gặp cán bộ").And.Contain("directline");

        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Claim")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("Cán bộ hỗ trợ đã tiếp nhận"));

        // While claimed, the bot does not talk over the human; the message is on the ticket page.
        (await chat.AskAsync("Tệp đúng của tôi tên là bai-du-thi-final.docx")).Should().BeEmpty();
        (await staff.Http.GetStringAsync($"console/helpdesk/ticket/{id}")).Should().Contain("bai-du-thi-final.docx");

        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Reply", new() { ["ReplyText"] = "Bạn gửi lại bài qua e-mail ban tổ chức trước hạn chót nhé." }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain("Bạn gửi lại bài qua e-mail ban tổ chức trước hạn chót nhé.");
        (await staff.Http.GetStringAsync($"console/helpdesk/ticket/{id}")).Should().Contain("Bạn gửi lại bài qua e-mail ban tổ chức trước hạn chót nhé.");

        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Resolve")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("chuyển lại cho trợ lý tự động"));
        (await chat.AskAsync("xin chào")).Should().NotBeEmpty("the bot answers again after the ticket is resolved");

        (await _host.Services.GetRequiredService<IHelpDeskStore>().GetAsync(id, CancellationToken.None))!.Status.Should().Be("resolved");
        var audit = await _host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(100, CancellationToken.None);
        audit.Where(a => a.Staff == "lan").Select(a => a.Action).Should().Contain(["login", "ticket.claim", "ticket.reply", "ticket.resolve"]);
        (await staff.Http.GetStringAsync("console/helpdesk")).Should().NotContain("Tôi nộp bài nhầm tệp");
    }

    [Fact]
    public async Task Another_staff_member_cannot_reply_on_a_claimed_ticket()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await HelpDeskTestData.AskForHumanAsync(chat, "Cho tôi hỏi về giải thưởng tập thể");
        var id = await HelpDeskTestData.SingleOpenTicketAsync(_host, chat.ConversationId);
        using var first = await ConsoleClient.SignInAsync(_host, "first", StaffRoles.HelpDesk);
        using var second = await ConsoleClient.SignInAsync(_host, "second", StaffRoles.HelpDesk);
        await first.PostFormAsync($"console/helpdesk/ticket/{id}", "Claim");
        await second.PostFormAsync($"console/helpdesk/ticket/{id}", "Reply", new() { ["ReplyText"] = "chen ngang" });
        await chat.GetBotMessagesAsync();
        (await _host.Services.GetRequiredService<IHelpDeskStore>().GetAsync(id, CancellationToken.None))!.ClaimedBy.Should().Be("first");
        var transcript = await _host.Services.GetRequiredService<Core.Pipeline.IConversationStore>().ReadTranscriptAsync("directline:" + chat.ConversationId, 0, 500, CancellationToken.None);
        transcript.Should().NotContain(e => e.Text == "chen ngang");
    }

    [Fact]
    public async Task Add_to_faq_answers_the_next_user_without_a_human()
    {
        const string question = "nếu mất điện giữa chừng thì thế nào";
        const string answer = "Nếu mất điện khi đang thi, bạn đăng nhập lại: bài làm được lưu tự động và thời gian vẫn tính tiếp.";
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        (await chat.AskAsync(question)).Should().NotContain(answer);
        var id = await HelpDeskTestData.SingleOpenTicketAsync(_host, chat.ConversationId);
        (await _host.Services.GetRequiredService<IHelpDeskStore>().GetAsync(id, CancellationToken.None))!.Reason.Should().Be("low_confidence");

        using var staff = await ConsoleClient.SignInAsync(_host, "faq-staff", StaffRoles.HelpDesk);
        (await staff.PostFormAsync($"console/helpdesk/ticket/{id}", "Faq", new() { ["FaqQuestion"] = question, ["FaqAnswer"] = answer, ["FaqIntent"] = "" }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);

        var next = new DirectLineClient(_host.Http);
        await next.StartAsync();
        await next.GetBotMessagesAsync();
        (await next.AskAsync("Nếu mất điện giữa chừng thì thế nào?")).Should().Contain(answer);
        (await _host.Services.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(100, CancellationToken.None))
            .Should().Contain(a => a.Staff == "faq-staff" && a.Action == "faq.add");
    }

    [Fact]
    public async Task Misunderstood_messages_are_grouped_and_one_click_gives_the_group_an_faq_answer()
    {
        foreach (var text in new[] { "nếu mất điện giữa chừng thì thế nào", "nếu mất điện giữa chừng thì thế nào vậy", "con mèo nhà tôi tên là gì" })
        {
            var chat = new DirectLineClient(_host.Http);
            await chat.StartAsync();
            await chat.GetBotMessagesAsync();
            await chat.AskAsync(text);
        }

        using var staff = await ConsoleClient.SignInAsync(_host, "inbox-staff", StaffRoles.HelpDesk);
        var html = await staff.Http.GetStringAsync("console/helpdesk/misunderstood");
        html.Should().Contain("(2 tin nhắn");
        var store = _host.Services.GetRequiredService<IHelpDeskStore>();
        var power = (await store.ListMisunderstoodAsync(100, CancellationToken.None)).Where(t => t.Text.Contains("mất điện", StringComparison.Ordinal)).Select(t => t.Id).ToList();
        power.Should().HaveCount(2);

        var faq = _host.Services.GetRequiredService<Core.Nlu.NluEngineHolder>().Current.Faq.Documents[0];
        (await staff.PostFormAsync("console/helpdesk/misunderstood", "Faq", new() { ["Ids"] = string.Join(",", power), ["FaqId"] = faq.Id }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await store.ListMisunderstoodAsync(100, CancellationToken.None)).Should().NotContain(t => power.Contains(t.Id));

        var next = new DirectLineClient(_host.Http);
        await next.StartAsync();
        await next.GetBotMessagesAsync();
        var reply = await next.AskAsync("nếu mất điện giữa chừng thì thế nào vậy");
        reply.Should().Contain(faq.Answer[..Math.Min(20, faq.Answer.Length)]);
    }

    [Fact]
    public async Task An_faq_answer_marked_unhelpful_lands_in_the_misunderstood_inbox()
    {
        await _host.Services.GetRequiredService<HelpDeskService>().AddToFaqAsync("máy tính bảng có dùng thi được không", "Có, bạn dùng trình duyệt trên máy tính bảng.", null, null, null, "seed", CancellationToken.None);
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        await chat.SendAsync("máy tính bảng có dùng thi được không");
        var answer = (await chat.GetBotMessagesAsync()).Last();
        answer["text"]!.GetValue<string>().Should().Contain("máy tính bảng");
        answer["suggestedActions"]!.ToJsonString().Should().Contain("unhelpful");

        await chat.SendAsync(null, "unhelpful");
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("Cảm ơn bạn đã góp ý"));
        var inbox = await _host.Services.GetRequiredService<IHelpDeskStore>().ListMisunderstoodAsync(50, CancellationToken.None);
        inbox.Should().ContainSingle(t => t.Reason == "unhelpful" && t.Text == "máy tính bảng có dùng thi được không");

        using var staff = await ConsoleClient.SignInAsync(_host, "unhelpful-staff", StaffRoles.HelpDesk);
        (await staff.Http.GetStringAsync("console/helpdesk/misunderstood")).Should().Contain("máy tính bảng có dùng thi được không");
    }

    [Fact]
    public async Task A_quiz_dispute_reaches_the_queue()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        await chat.SendAsync(null, "dispute:hai-duong-2024");
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("kết quả bài thi chưa đúng"));
        await chat.SendAsync("Câu 3 tôi chọn B là đúng theo Nghị định nhưng bị chấm sai");
        (await chat.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("Đã ghi nhận phản ánh"));

        var id = await HelpDeskTestData.SingleOpenTicketAsync(_host, chat.ConversationId);
        var ticket = (await _host.Services.GetRequiredService<IHelpDeskStore>().GetAsync(id, CancellationToken.None))!;
        ticket.Reason.Should().Be("dispute");
        ticket.ContestId.Should().Be("hai-duong-2024");
        using var staff = await ConsoleClient.SignInAsync(_host, "dispute-staff", StaffRoles.HelpDesk);
        (await staff.Http.GetStringAsync("console/helpdesk")).Should().Contain("Phản ánh về kết quả bài thi").And.Contain("Câu 3 tôi chọn B");
    }

    [Fact]
    public async Task A_claimed_ticket_keeps_the_bot_quiet_after_a_restart()
    {
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await HelpDeskTestData.AskForHumanAsync(chat, "Tôi cần xác nhận đã nộp bài");
        var id = await HelpDeskTestData.SingleOpenTicketAsync(_host, chat.ConversationId);
        (await _host.Services.GetRequiredService<HelpDeskService>().ClaimAsync(id, "restart-claim", CancellationToken.None)).Should().BeTrue();

        var folder = _host.DataFolder;
        await _host.DisposeAsync();
        _host = await TestHost.StartAsync(dataFolder: folder);
        var again = new DirectLineClient(_host.Http) { Token = chat.Token, ConversationId = chat.ConversationId };
        await again.GetActivitiesAsync();
        (await again.AskAsync("Còn đó không ạ?")).Should().BeEmpty();

        (await _host.Services.GetRequiredService<HelpDeskService>().ResolveAsync(id, "restart-claim", CancellationToken.None)).Should().BeTrue();
        (await again.GetBotMessagesAsync()).Select(m => m["text"]?.GetValue<string>()).Should().Contain(t => t!.Contains("chuyển lại cho trợ lý tự động"));
        (await again.AskAsync("xin chào")).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Staff_faq_entries_and_labelled_examples_survive_a_restart()
    {
        var folder = _host.DataFolder;
        var service = _host.Services.GetRequiredService<HelpDeskService>();
        await service.AddToFaqAsync("giấy chứng nhận gửi về đâu", "Giấy chứng nhận được gửi về đơn vị công tác của bạn.", "prizes", null, null, "restart-staff", CancellationToken.None);
        await _host.DisposeAsync();
        _host = await TestHost.StartAsync(dataFolder: folder);
        var chat = new DirectLineClient(_host.Http);
        await chat.StartAsync();
        await chat.GetBotMessagesAsync();
        (await chat.AskAsync("giấy chứng nhận gửi về đâu")).Should().Contain("Giấy chứng nhận được gửi về đơn vị công tác của bạn.");
    }

    [Fact]
    public async Task Users_add_reads_the_password_from_input_and_never_defaults_it()
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = _host.DataFolder,
            ["Storage:ConnectionString"] = "Data Source=" + _host.DatabasePath,
            ["Content:Root"] = RepoPaths.Root,
        };
        var output = new StringWriter();
        (await Cli.CliRoot.RunAsync(["users", "add", "root", "--role", "admin", "--password-stdin"], new StringReader(string.Empty), output, overrides)).Should().Be(2);
        (await Cli.CliRoot.RunAsync(["users", "add", "piped", "--role", "admin"], new StringReader("a-long-secret-9\n"), output, overrides)).Should().Be(2,
            "input that is not a terminal is read only with --password-stdin");
        (await Cli.CliRoot.RunAsync(["users", "add", "argv", "--role", "admin", "--password", "a-long-secret-8"], new StringReader(string.Empty), output, overrides)).Should().Be(2,
            "a password is refused as an argument");
        (await Cli.CliRoot.RunAsync(["users", "add", "root", "--role", "admin", "--password-stdin"], new StringReader("a-long-secret-1\n"), output, overrides)).Should().Be(0);
        (await Cli.CliRoot.RunAsync(["users", "add", "weak", "--role", "helpdesk", "--password-stdin"], new StringReader("short\n"), output, overrides)).Should().Be(2);

        // At a terminal: typed twice, never echoed; Backspace erases.
        var typed = new StringWriter();
        var keys = new ScriptedKeys("a-long-secretX\b-2\n" + "a-long-secret-2\n");
        (await Cli.CliRoot.RunAsync(["users", "add", "typist", "--role", "helpdesk"], new StringReader(string.Empty), typed, overrides, keys)).Should().Be(0);
        typed.ToString().Should().Contain("Password: ").And.Contain("Password again: ").And.NotContain("secret");
        var mismatch = new ScriptedKeys("a-long-secret-3\n" + "a-long-secret-4\n");
        (await Cli.CliRoot.RunAsync(["users", "add", "twice", "--role", "helpdesk"], new StringReader(string.Empty), new StringWriter(), overrides, mismatch)).Should().Be(2);

        using var client = ConsoleClient.Anonymous(_host);
        (await client.LoginAsync("root", "a-long-secret-1")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.Http.GetAsync("console/admin/users")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var typist = ConsoleClient.Anonymous(_host);
        (await typist.LoginAsync("typist", "a-long-secret-2")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        foreach (var refused in new[] { "piped", "argv", "weak", "twice" })
        {
            using var nobody = ConsoleClient.Anonymous(_host);
            (await nobody.LoginAsync(refused, "a-long-secret-9")).StatusCode.Should().NotBe(HttpStatusCode.Redirect, $"no account '{refused}' was created");
        }
    }

    /// <summary>Keys as a terminal gives them: '\n' is Enter, '\b' is Backspace.</summary>
    private sealed class ScriptedKeys(string keys) : Cli.IKeySource
    {
        private int _next;

        public ConsoleKeyInfo ReadKey()
        {
            var c = keys[_next++];
            return c switch
            {
                '\n' => new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false),
                '\b' => new ConsoleKeyInfo('\b', ConsoleKey.Backspace, false, false, false),
                _ => new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false),
            };
        }
    }
}
