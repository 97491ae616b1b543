using CcBot.Core.Time;
using CcBot.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CcBot.Host.Tests.Conversation;

/// <summary>
/// Issue acceptance from the web chat: free-text questions about all five contests, with the clock set inside
/// each contest's window and after it; every answer carries the facts and the document they come from.
/// </summary>
public sealed class ContestAcceptanceTests
{
    private static async Task<(TestHost Host, DirectLineClient Chat)> StartAtAsync(DateTimeOffset vietnamTime, string? contest = null)
    {
        var clock = new ManualClock(vietnamTime);
        var host = await TestHost.StartAsync(configure: b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var dl = new DirectLineClient(host.Http);
        await dl.StartAsync(contest);
        await dl.GetActivitiesAsync();
        return (host, dl);
    }

    [Fact]
    public async Task Hai_duong_deadline_inside_the_window_counts_down_and_cites_the_notice()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2024, 12, 10, 10, 0));
        await using var _ = host;

        var reply = await dl.AskAsync("Hạn cuối cuộc thi Hải Dương là khi nào?");

        reply.Should().Contain("đang diễn ra").And.Contain("còn 3 ngày 6 giờ").And.Contain("16h30 ngày 13/12/2024")
            .And.Contain("Theo Công văn").And.Contain("Sở Văn hóa, Thể thao và Du lịch");
    }

    [Fact]
    public async Task Hai_duong_after_the_window_says_it_ended_and_before_says_not_started()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2025, 1, 5, 9, 0));
        await using (host)
        {
            (await dl.AskAsync("hạn cuối cuộc thi hải dương là khi nào")).Should().Contain("đã kết thúc lúc 16h30 ngày 13/12/2024");
        }

        var (early, dl2) = await StartAtAsync(VietnamTime.At(2024, 11, 17, 7, 30));
        await using (early)
        {
            (await dl2.AskAsync("cuộc thi hải dương bắt đầu khi nào")).Should().Contain("chưa bắt đầu").And.Contain("7h30 ngày 18/11/2024").And.Contain("còn 1 ngày");
        }
    }

    [Fact]
    public async Task Khanh_hoa_phone_of_the_secretariat_and_where_to_send_videos()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2021, 7, 15, 20, 0));
        await using var _ = host;

        (await dl.AskAsync("số điện thoại ban thư ký khánh hòa")).Should().Contain("0914 233499").And.Contain("tel:0914233499").And.Contain("Nguyễn Văn Tú");
        var video = await dl.AskAsync("gửi video qua đâu");
        video.Should().Contain("https://facebook.com/cchckh").And.Contain("cchc.snv@khanhhoa.gov.vn").And.Contain("USB").And.Contain("24h00 ngày 15/7/2021");
        (await dl.AskAsync("con bao lau nua thi het han nop")).Should().Contain("còn 4 giờ", "24h00 means the end of 15/7");
    }

    [Fact]
    public async Task Hai_phong_link_and_a_fact_the_notice_does_not_state()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2024, 10, 20, 9, 0));
        await using var _ = host;

        (await dl.AskAsync("link thi hải phòng")).Should().Contain("http://thicchaiphong.hethong.vn/");
        var schedule = await dl.AskAsync("cuộc thi hải phòng kết thúc khi nào");
        schedule.Should().Contain("không nêu").And.NotContain("16h30");
    }

    [Fact]
    public async Task Bac_giang_and_ha_noi_schedules()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2020, 10, 1, 8, 0));
        await using (host)
        {
            (await dl.AskAsync("thời gian thi bắc giang")).Should().Contain("đang diễn ra").And.Contain("8h00 ngày 15/10/2020").And.Contain("còn 14 ngày");
        }

        var (hn, dl2) = await StartAtAsync(VietnamTime.At(2019, 11, 1, 8, 0));
        await using (hn)
        {
            var reply = await dl2.AskAsync("hạn nộp bài cuộc thi viết hà nội");
            reply.Should().Contain("08/11/2019").And.Contain("15/11/2019").And.Contain("Thông báo số 254/TB-STTTT");
        }
    }

    [Fact]
    public async Task Several_contests_and_none_chosen_asks_which_then_remembers()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2024, 12, 1, 9, 0));
        await using var _ = host;

        await dl.SendAsync("Thể lệ", value: "rules");
        var ask = (await dl.GetBotMessagesAsync()).Single();
        ask["text"]!.GetValue<string>().Should().Contain("cuộc thi nào");
        var haiDuong = ask["suggestedActions"]!["actions"]!.AsArray().Single(a => a!["title"]!.GetValue<string>().Contains("Hải Dương", StringComparison.Ordinal))!;

        await dl.SendAsync(haiDuong["title"]!.GetValue<string>(), value: haiDuong["value"]!.GetValue<string>());
        (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>().Should().Contain("Hải Dương");

        await dl.SendAsync("Thời gian", value: "schedule");
        (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>().Should().Contain("13/12/2024", "the chosen contest is remembered");
    }

    [Fact]
    public async Task A_start_parameter_preselects_the_contest()
    {
        var (host, dl) = await StartAtAsync(VietnamTime.At(2021, 7, 1, 9, 0), contest: "khanh-hoa-2021");
        await using var _ = host;

        await dl.SendAsync("Liên hệ", value: "contact");
        (await dl.GetBotMessagesAsync()).Single()["text"]!.GetValue<string>().Should().Contain("0914 233499");
    }
}
