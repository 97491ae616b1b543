using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Host.Tests.Broadcasts;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Zalo;

public sealed class ZaloBroadcastTests
{
    [Fact]
    public async Task Broadcast_to_1000_Zalo_users_with_an_injected_quota_error_delivers_each_once()
    {
        await using var fake = await FakeZaloApi.StartAsync();
        fake.Record = false;
        var settings = ZaloTestSupport.Settings(fake);
        settings["Zalo:RatePerSecond"] = "66";
        settings["Zalo:QuotaRetryAfter"] = "00:00:01";
        await using var host = await TestHost.StartAsync(settings);
        BroadcastTestSupport.InsertRecipients(host.DatabasePath, "zalo", 5_100_000_000, 1000);
        BroadcastTestSupport.InsertRecipients(host.DatabasePath, "zalo", 5_200_000_000, 1);
        fake.NotFollowing.Add("5200000000");
        fake.FailNextSends(-211, -32);

        var service = host.Services.GetRequiredService<BroadcastService>();
        var (id, recipients) = await service.CreateAsync(new BroadcastDraft(
            "Ban Tổ chức thông báo: hạn nộp bài được **gia hạn** đến 16h30 ngày 20/12/2024.",
            [ReplyButton.Link("Xem thông báo", "https://example.gov.vn/tb-01")],
            BroadcastAudience.Everyone, null, DateTimeOffset.UtcNow, "test"), default);
        recipients.Should().Be(1001);

        await FakeBotApi.WaitUntilAsync(() => fake.Delivered.Count >= 1000, 90, "1,000 deliveries");
        await FakeBotApi.WaitUntilAsync(() => service.StatusAsync(id, default).Result!.Value.Report is { Pending: 0, Sending: 0 }, 30, "report settled");
        await Task.Delay(500);

        fake.Delivered.Should().HaveCount(1000).And.OnlyContain(kv => kv.Value == 1);
        fake.Delivered.Should().NotContainKey("5200000000");
        var report = (await service.StatusAsync(id, default))!.Value.Report;
        report.Sent.Should().Be(1000);
        report.Blocked.Should().Be(1);
        TelegramTestSupport.Count(host.DatabasePath, "SELECT COUNT(*) FROM conversations WHERE channel = 'zalo' AND unreachable_at IS NOT NULL").Should().Be(1);
    }
}
