using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Broadcasts;

public sealed class BroadcastDeliveryTests
{
    [Fact]
    public async Task Broadcast_to_1000_recipients_through_the_fake_Bot_API_with_a_429_delivers_each_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;
        await using var host = await TelegramTestSupport.StartAsync(fake, extra: new Dictionary<string, string?>
        {
            ["Telegram:GlobalRatePerSecond"] = "400",
        });
        BroadcastTestSupport.InsertTelegramRecipients(host.DatabasePath, 700_000, 1000);
        BroadcastTestSupport.InsertTelegramRecipients(host.DatabasePath, 800_000, 1);
        fake.BlockedChats.Add(800_000);
        fake.Throttle("sendMessage", retryAfterSeconds: 1, times: 1);

        var service = host.Services.GetRequiredService<BroadcastService>();
        var (id, recipients) = await service.CreateAsync(new BroadcastDraft(
            "Ban Tổ chức thông báo: hạn nộp bài được **gia hạn** đến 16h30 ngày 20/12/2024.",
            [ReplyButton.Link("Xem thông báo", "https://example.gov.vn/tb-01")],
            BroadcastAudience.Everyone, null, DateTimeOffset.UtcNow, "test"), default);
        recipients.Should().Be(1001);

        await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= 1000, 60, "1,000 deliveries");
        await FakeBotApi.WaitUntilAsync(() => service.StatusAsync(id, default).Result!.Value.Report is { Pending: 0, Sending: 0 }, 15, "report settled");
        await Task.Delay(500);

        fake.Delivered.Where(kv => kv.Key < 800_000).Should().HaveCount(1000).And.OnlyContain(kv => kv.Value == 1);
        fake.Delivered.Should().NotContainKey(800_000);
        var report = (await service.StatusAsync(id, default))!.Value.Report;
        report.Sent.Should().Be(1000);
        report.Blocked.Should().Be(1);
        report.FailureReasons.Should().ContainSingle().Which.Reason.Should().Contain("blocked");
        TelegramTestSupport.Count(host.DatabasePath, "SELECT COUNT(*) FROM conversations WHERE unreachable_at IS NOT NULL").Should().Be(1);
    }

    [Fact]
    public async Task Cancel_through_the_CLI_stops_the_rest_and_status_reports_it()
    {
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;
        await using var host = await TelegramTestSupport.StartAsync(fake, extra: new Dictionary<string, string?> { ["Telegram:GlobalRatePerSecond"] = "20" });
        BroadcastTestSupport.InsertTelegramRecipients(host.DatabasePath, 900_000, 200);
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "Data Source=" + host.DatabasePath,
            ["Content:Root"] = RepoPaths.Root,
            ["Nlu:ModelFile"] = TestHost.SharedModelFile,
        };

        var output = new StringWriter();
        (await Cli.CliRoot.RunAsync(["broadcast", "create", "--text", "Thông báo thử", "--audience", "channel", "--value", "telegram", "--link", "Chi tiết|https://example.gov.vn/x"], output: output, overrides: overrides)).Should().Be(0);
        output.ToString().Should().Contain("200 recipients");
        await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= 20, 30, "some sent");
        output = new StringWriter();
        (await Cli.CliRoot.RunAsync(["broadcast", "cancel", "1"], output: output, overrides: overrides)).Should().Be(0);
        var afterCancel = fake.DeliveredTotal;

        // Rows already claimed in memory may still go out; once no row is pending or being sent, every row is final
        // (sent, or cancelled by the worker) and nothing more can go out.
        await FakeBotApi.WaitUntilAsync(() => TelegramTestSupport.Count(host.DatabasePath,
            "SELECT COUNT(*) FROM outbox WHERE source = 'broadcast' AND status IN ('pending', 'sending')") == 0, 30, "every row sent or cancelled");

        fake.DeliveredTotal.Should().BeLessThan(afterCancel + 140, "at most what was already claimed in memory goes out (Concurrency x 2)");
        fake.DeliveredTotal.Should().BeLessThan(200);

        output = new StringWriter();
        (await Cli.CliRoot.RunAsync(["broadcast", "status", "1"], output: output, overrides: overrides)).Should().Be(0);
        output.ToString().Should().Contain("recipients 200").And.Contain($"sent {fake.DeliveredTotal},").And.Contain("pending 0");
        output = new StringWriter();
        (await Cli.CliRoot.RunAsync(["broadcast", "list"], output: output, overrides: overrides)).Should().Be(0);
        output.ToString().Should().Contain("cancelled").And.Contain("channel=telegram");
    }
}
