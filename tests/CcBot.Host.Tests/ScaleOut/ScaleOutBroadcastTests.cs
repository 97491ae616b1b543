using CcBot.Host.Cli;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>A broadcast to 2,000 Telegram users sent by two instances sharing the outbox on PostgreSQL.</summary>
public sealed class ScaleOutBroadcastTests
{
    private const int Recipients = 2_000;
    private const long FirstChat = 600_000;
    private const int Rate = 100;

    private static Dictionary<string, string> Settings() => new()
    {
        ["Telegram__GlobalRatePerSecond"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Outbox__Concurrency"] = "16",
        ["Outbox__Lease"] = "00:00:05",
    };

    private static async Task CreateBroadcastAsync(TwoInstances pair)
    {
        // As an organizer does it: the CLI, pointed at the shared database.
        var output = new StringWriter();
        var code = await CliRoot.RunAsync(
            ["broadcast", "create", "--text", "📢 Thông báo: lịch thi vòng 2 đã có trên trang của Sở.", "--audience", "everyone"],
            output: output,
            overrides: new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = pair.Database.ConnectionString,
                ["Content:Root"] = RepoPaths.Root,
                ["Nlu:ModelFile"] = TestHost.SharedModelFile,
            });
        code.Should().Be(0, output.ToString());
        output.ToString().Should().Contain($"{Recipients} recipients");
    }

    private static void AssertExactlyOnce(FakeBotApi fake)
    {
        fake.Delivered.Keys.Where(chat => chat >= FirstChat).Should().HaveCount(Recipients, "none is missed");
        fake.Delivered.Where(kv => kv.Key >= FirstChat).Should().OnlyContain(kv => kv.Value == 1, "no recipient gets it twice");
    }

    [Fact]
    public async Task Two_instances_deliver_a_broadcast_exactly_once_within_the_global_rate()
    {
        await using var pair = await TwoInstances.StartAsync(Settings());
        pair.Fake.Record = false;
        // Telegram's own limit, enforced by the fake: more than Rate per second (one second of burst) is answered 429.
        pair.Fake.EnforcedRatePerSecond = Rate;
        pair.Fake.EnforcedBurst = Rate;
        await ScaleOutData.InsertTelegramRecipientsAsync(pair.Database.ConnectionString, FirstChat, Recipients);
        var started = DateTimeOffset.UtcNow;
        await CreateBroadcastAsync(pair);

        await FakeBotApi.WaitUntilAsync(() => pair.Fake.DeliveredTotal >= Recipients, 120, "every recipient is reached: " + pair.Logs);
        var took = DateTimeOffset.UtcNow - started;
        // Every row final and none claimed: no instance holds a send that could still go out.
        await FakeBotApi.WaitUntilAsync(async () => await pair.CountAsync("SELECT count(*) FROM outbox WHERE status = 'sent'") == Recipients
            && await pair.CountAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0, 20, "all rows marked sent");

        AssertExactlyOnce(pair.Fake);
        pair.Fake.Provoked429.Should().Be(0, "the two instances together keep under the global rate");
        took.TotalSeconds.Should().BeGreaterThan((Recipients - Rate) / (double)Rate * 0.95, "2,000 messages at 100/s cannot go faster");
        (await pair.CountAsync("SELECT count(DISTINCT claimed_by) FROM outbox WHERE claimed_by IS NOT NULL")).Should().Be(2, "both instances took part");
    }

    [Fact]
    public async Task Killing_one_instance_mid_broadcast_loses_nothing()
    {
        await using var pair = await TwoInstances.StartAsync(Settings());
        pair.Fake.Record = false;
        await ScaleOutData.InsertTelegramRecipientsAsync(pair.Database.ConnectionString, FirstChat, Recipients);
        await CreateBroadcastAsync(pair);
        await FakeBotApi.WaitUntilAsync(() => pair.Fake.DeliveredTotal >= 400, 60, "the first part is sent");

        // Freeze Telegram's side so the kill lands with sends in flight and rows claimed by A, but not inside the instant
        // between "Telegram accepted" and "row marked sent" (no Bot API call can be made idempotent to cover that).
        pair.Fake.Hold();
        await Task.Delay(300);
        await FakeBotApi.WaitUntilAsync(async () => await pair.CountAsync("SELECT count(*) FROM outbox WHERE status = 'sent'") == pair.Fake.DeliveredTotal, 15,
            "every message Telegram accepted is marked sent");
        await pair.A.KillAsync();
        // Kestrel notices the killed instance's closed connections asynchronously; a held send released before it
        // does would count as delivered although A never saw the answer (and B then sends it again, correctly).
        await Task.Delay(1000);
        pair.Fake.Release();
        var atKill = pair.Fake.DeliveredTotal;
        atKill.Should().BeLessThan(Recipients, "the broadcast was interrupted");

        // B takes over A's claimed rows when their lease expires, and finishes.
        await FakeBotApi.WaitUntilAsync(() => pair.Fake.DeliveredTotal >= Recipients, 120, "the rest is sent by the surviving instance: " + pair.Logs);
        await FakeBotApi.WaitUntilAsync(async () => await pair.CountAsync("SELECT count(*) FROM outbox WHERE status = 'sent'") == Recipients, 30, "all rows marked sent");
        await Task.Delay(1000);
        AssertExactlyOnce(pair.Fake);
    }
}
