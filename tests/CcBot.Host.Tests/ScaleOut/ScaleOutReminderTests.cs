using System.Globalization;
using CcBot.Core.Time;
using CcBot.Host.Tests.Reminders;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>Quartz clustered on PostgreSQL under two host processes: each reminder fires on one instance, and survives losing one.</summary>
public sealed class ScaleOutReminderTests
{
    private const long Chat = 4343;

    [Fact]
    public async Task A_reminder_fires_once_and_the_next_one_fires_after_an_instance_dies()
    {
        var now = DateTimeOffset.UtcNow;
        var vnNow = VietnamTime.ToVietnam(now);
        var closes = new DateTimeOffset(vnNow.Year, vnNow.Month, vnNow.Day, vnNow.Hour, vnNow.Minute, 0, VietnamTime.Offset).AddMinutes(4);
        var offset1 = TimeSpan.FromSeconds(Math.Floor((closes - now.AddSeconds(50)).TotalSeconds));
        var offset2 = TimeSpan.FromSeconds(Math.Floor((closes - now.AddSeconds(80)).TotalSeconds));
        var fire2 = closes - offset2;
        var root = ReminderSchedulingTests.ContentRoot(closes);

        await using var pair = await TwoInstances.StartAsync(new Dictionary<string, string>
        {
            ["Content__Root"] = root,
            ["Reminders__Offsets__0"] = offset1.ToString("c", CultureInfo.InvariantCulture),
            ["Reminders__Offsets__1"] = offset2.ToString("c", CultureInfo.InvariantCulture),
            ["Reminders__QuietHoursStart"] = "00:00:00",
            ["Reminders__QuietHoursEnd"] = "00:00:00",
        });
        IReadOnlyList<FakeCall> Reminders() => pair.Fake.SentTo(Chat).Where(c => c.Text.Contains("Nhắc hạn", StringComparison.Ordinal)).ToList();

        (await pair.CountAsync("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'reminders.hai-duong-2024'")).Should().Be(3,
            "both instances synced the schedule at start, and it holds each reminder once");
        var subscribe = FakeBotApi.TextMessage(Chat, "/nhacnho");
        subscribe["update_id"] = 77001;
        await TwoInstances.PostUpdateAsync(pair.B, subscribe);
        await FakeBotApi.WaitUntilAsync(() => pair.Fake.SentTo(Chat).Any(c => c.Text.Contains("Đã bật nhắc hạn", StringComparison.Ordinal)), 30, "subscribed");

        await FakeBotApi.WaitUntilAsync(() => Reminders().Count == 1, 90, "the first reminder fires: " + pair.Logs);
        // Fired and done: its one-shot trigger is gone (fewer than the three scheduled), no job is executing and every
        // outbox row is final, so no second scheduler can still send it.
        await FakeBotApi.WaitUntilAsync(() => SettledAsync(pair, below: 3), 30, "the first reminder settled");
        Reminders().Should().HaveCount(1, "two schedulers in one cluster fire it once");
        var afterFirst = await pair.CountAsync(TriggersSql);

        // One instance dies before the second reminder is due: the other fires it.
        await pair.A.KillAsync();
        await FakeBotApi.WaitUntilAsync(() => Reminders().Count == 2, 90, "the second reminder fires on the surviving instance: " + pair.Logs);
        Reminders()[1].At.Should().BeOnOrAfter(fire2.AddSeconds(-1));
        await FakeBotApi.WaitUntilAsync(() => SettledAsync(pair, below: afterFirst), 30, "the second reminder settled");
        Reminders().Should().HaveCount(2);
    }

    private const string TriggersSql = "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'reminders.hai-duong-2024'";

    /// <summary>
    /// Fewer triggers than <paramref name="below"/> (the one that fired is gone), no job executing (rows a scheduler merely
    /// acquired ahead of time are not firings) and no outbox row still pending or being sent.
    /// </summary>
    private static async Task<bool> SettledAsync(TwoInstances pair, long below) =>
        await pair.CountAsync(TriggersSql) < below
        && await pair.CountAsync("SELECT count(*) FROM qrtz_fired_triggers WHERE state = 'EXECUTING'") == 0
        && await pair.CountAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0;
}
