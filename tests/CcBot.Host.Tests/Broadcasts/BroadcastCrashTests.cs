using CcBot.Core.Activities;
using CcBot.Core.Broadcasts;
using CcBot.Core.Outbox;
using CcBot.Core.Reminders;
using CcBot.Core.Storage;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcBot.Host.Tests.Broadcasts;

/// <summary>The host as a real child process, killed hard in the middle of a broadcast and started again.</summary>
public sealed class BroadcastCrashTests
{
    private const int Recipients = 300;

    [Fact]
    public async Task Host_killed_mid_broadcast_resumes_on_start_and_every_recipient_gets_it_exactly_once()
    {
        await using var fake = await FakeBotApi.StartAsync();
        fake.Record = false;
        var folder = TestHost.NewDataFolder();
        var db = Path.Combine(folder, "ccbot.db");

        using (var first = StartChild(fake, db))
        {
            await first.WaitHealthyAsync();
            BroadcastTestSupport.InsertTelegramRecipients(db, 500_000, Recipients);
            await CreateBroadcastAsync(db);
            await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= 60, 60, "the first part of the broadcast is sent");

            // Freeze Telegram's side so the kill lands with sends in flight and rows claimed, but not inside the instant between
            // "Telegram accepted the message" and "the row is marked sent" (no Bot API call can be made idempotent to cover that).
            fake.Hold();
            await Task.Delay(200);
            await FakeBotApi.WaitUntilAsync(
                () => TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == fake.DeliveredTotal, 15,
                "every message Telegram accepted is marked sent");
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
            // Kestrel notices the killed host's closed connections asynchronously; a held send released before it does
            // would count as delivered although the host never saw the answer (and the restarted host then sends it again).
            await Task.Delay(1000);
            fake.Release();
        }

        var beforeRestart = fake.DeliveredTotal;
        beforeRestart.Should().BeLessThan(Recipients, "the broadcast was interrupted");
        TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')").Should().BeGreaterThan(0);

        using (var second = StartChild(fake, db))
        {
            await second.WaitHealthyAsync();
            await FakeBotApi.WaitUntilAsync(() => fake.DeliveredTotal >= Recipients, 60, "the rest is sent after the restart");
            await FakeBotApi.WaitUntilAsync(() => TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == Recipients, 15, "all rows marked sent");
            await Task.Delay(1000);
            second.Process.Kill(entireProcessTree: true);
            await second.Process.WaitForExitAsync();
        }

        fake.Delivered.Should().HaveCount(Recipients);
        fake.Delivered.Should().OnlyContain(kv => kv.Value == 1, "no recipient gets it twice");
        Enumerable.Range(0, Recipients).Select(i => 500_000L + i).Should().OnlyContain(chat => fake.Delivered.ContainsKey(chat), "none is missed");
    }

    private static async Task CreateBroadcastAsync(string dbPath)
    {
        // What `ccbot broadcast create` does: the broadcast and its recipient rows, written to the database the host runs on.
        await using var database = new SqliteDatabase("Data Source=" + dbPath, NullLogger<SqliteDatabase>.Instance);
        database.Initialize(new CoreMigrations().Migrations.Concat(new ReminderMigrations().Migrations));
        var store = new SqliteBroadcastStore(database);
        var (_, count) = await store.CreateAsync(
            new BroadcastDraft("Thông báo thử", [], BroadcastAudience.Everyone, null, DateTimeOffset.UtcNow, "test"),
            new OutboundMessage { Text = "📢 Thông báo thử: kiểm tra gửi đúng một lần." }, DateTimeOffset.UtcNow, default);
        count.Should().Be(Recipients);
    }

    private static HostProcess StartChild(FakeBotApi fake, string dbPath) => HostProcess.Start(new Dictionary<string, string>
    {
        ["Storage__ConnectionString"] = "Data Source=" + dbPath,
        ["Storage__Synchronous"] = "NORMAL",
        ["Telegram__BotToken"] = FakeBotApi.Token,
        ["Telegram__ApiBaseUrl"] = fake.BaseUrl,
        ["Telegram__PollTimeoutSeconds"] = "1",
        ["Telegram__GlobalRatePerSecond"] = "60",
        ["Telegram__PerChatInterval"] = "00:00:00",
        ["Outbox__Concurrency"] = "16",
    });
}
