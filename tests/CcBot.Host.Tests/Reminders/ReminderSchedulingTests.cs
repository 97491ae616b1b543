using System.Globalization;
using System.Text.RegularExpressions;
using CcBot.Core.Time;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Host.Tests.Telegram;

namespace CcBot.Host.Tests.Reminders;

/// <summary>Real Quartz on the host's SQLite database, with real (short) delays: firing, restart, missed-while-down, reschedule.</summary>
public sealed class ReminderSchedulingTests
{
    private const string ContestId = "hai-duong-2024";
    private const long Chat = 4242;

    [Fact]
    public async Task Reminders_fire_survive_restarts_once_are_sent_late_when_missed_and_are_rescheduled_when_dates_change()
    {
        var now = DateTimeOffset.UtcNow;
        var vnNow = VietnamTime.ToVietnam(now);
        var closes = new DateTimeOffset(vnNow.Year, vnNow.Month, vnNow.Day, vnNow.Hour, vnNow.Minute, 0, VietnamTime.Offset).AddMinutes(3);
        var fire1 = now.AddSeconds(8);
        var fire2 = now.AddSeconds(20);
        var offset1 = TimeSpan.FromSeconds(Math.Floor((closes - fire1).TotalSeconds));
        var offset2 = TimeSpan.FromSeconds(Math.Floor((closes - fire2).TotalSeconds));
        fire1 = closes - offset1;
        fire2 = closes - offset2;

        var root = ContentRoot(closes);
        var data = TestHost.NewDataFolder();
        await using var fake = await FakeBotApi.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Content:Root"] = root,
            ["Reminders:Offsets:0"] = offset1.ToString("c", CultureInfo.InvariantCulture),
            ["Reminders:Offsets:1"] = offset2.ToString("c", CultureInfo.InvariantCulture),
            ["Reminders:QuietHoursStart"] = "00:00:00",
            ["Reminders:QuietHoursEnd"] = "00:00:00",
        };
        var db = Path.Combine(data, "ccbot.db");
        long Triggers(string? like = null) => TelegramTestSupport.Count(db,
            "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = $g AND TRIGGER_NAME LIKE $like",
            ("$g", "reminders." + ContestId), ("$like", like ?? "%"));
        IReadOnlyList<FakeCall> Reminders() => fake.SentTo(Chat).Where(c => c.Text.Contains("Nhắc hạn", StringComparison.Ordinal)).ToList();

        await using (var host = await TelegramTestSupport.StartAsync(fake, data, settings))
        {
            var names = string.Join(", ", Enumerable.Range(0, 1).Select(_ => TelegramTestSupport.Scalar(db, "SELECT group_concat(TRIGGER_NAME, ' ; ') FROM QRTZ_TRIGGERS")));
            Triggers().Should().Be(3, "two offsets before the closing, and the closing itself: " + names);
            fake.Enqueue(FakeBotApi.TextMessage(Chat, "/nhacnho"));
            await FakeBotApi.WaitUntilAsync(() => fake.SentTo(Chat).Any(c => c.Text.Contains("Đã bật nhắc hạn", StringComparison.Ordinal)), 20, "subscribed");

            await FakeBotApi.WaitUntilAsync(() => Reminders().Count == 1, 30, "the first reminder fires");
            var first = Reminders()[0];
            first.At.Should().BeOnOrAfter(fire1.AddSeconds(-1)).And.BeBefore(fire1.AddSeconds(6));
            first.Text.Should().Contain(ScheduleMoment(closes)).And.Contain("Nguồn").And.Contain("Công văn");
            first.Buttons.Should().Contain(b => b["text"]!.GetValue<string>() == "Hủy nhắc");
        }

        // Down while the second reminder is due.
        var waitFor = fire2.AddSeconds(2) - DateTimeOffset.UtcNow;
        if (waitFor > TimeSpan.Zero)
        {
            await Task.Delay(waitFor);
        }

        Reminders().Should().HaveCount(1);
        Triggers().Should().Be(2, "the fired reminder's trigger is done; the missed one and the closing are stored");

        await using (var host = await TelegramTestSupport.StartAsync(fake, data, settings))
        {
            await FakeBotApi.WaitUntilAsync(() => Reminders().Count == 2, 30, "the missed reminder is sent late: its deadline is ahead");
            Reminders()[1].At.Should().BeAfter(fire2);
            await FakeBotApi.WaitUntilAsync(() => Triggers() == 1, 10, "only the closing is left");
        }

        await using (var host = await TelegramTestSupport.StartAsync(fake, data, settings))
        {
            Triggers().Should().Be(1, "an unchanged contest is not scheduled again on restart");
            // The only trigger left is the closing, still ahead: no earlier reminder can fire again.
            Reminders().Should().HaveCount(2, "nothing fires twice");
        }

        // The organizer moves the closing one hour later: the contest's reminders are rescheduled at the next start.
        var moved = closes.AddHours(1);
        ContentRoot(moved, root);
        await using (var host = await TelegramTestSupport.StartAsync(fake, data, settings))
        {
            var stamp = moved.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
            Triggers().Should().Be(3);
            Triggers($"%{stamp}%").Should().Be(3, "every trigger belongs to the new date");
            TelegramTestSupport.Count(db, "SELECT COUNT(*) FROM reminder_schedules WHERE contest_id = $c", ("$c", ContestId)).Should().Be(1);
        }

        Reminders().Should().HaveCount(2);
    }

    private static string ScheduleMoment(DateTimeOffset vn) =>
        string.Create(CultureInfo.InvariantCulture, $"{vn.Hour}h{vn.Minute:D2} ngày");

    /// <summary>A content root sharing dialogs and NLU/FAQ data with the repository, with one contest whose dates are near now.</summary>
    internal static string ContentRoot(DateTimeOffset closes, string? existing = null)
    {
        var root = existing ?? Path.Combine(Path.GetTempPath(), "ccbot-tests", "content-" + Guid.NewGuid().ToString("N"));
        if (existing is null)
        {
            Directory.CreateDirectory(Path.Combine(root, "data", "contests"));
            Directory.CreateSymbolicLink(Path.Combine(root, "dialogs"), Path.Combine(RepoPaths.Root, "dialogs"));
            Directory.CreateSymbolicLink(Path.Combine(root, "data", "nlu"), Path.Combine(RepoPaths.Root, "data", "nlu"));
            Directory.CreateSymbolicLink(Path.Combine(root, "data", "faq"), Path.Combine(RepoPaths.Root, "data", "faq"));
        }

        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "data", "contests", ContestId + ".yaml"));
        string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        yaml = yaml.Replace("\"2024-11-18T07:30\"", $"\"{At(closes.AddDays(-10))}\"", StringComparison.Ordinal)
                   .Replace("\"2024-12-13T16:30\"", $"\"{At(closes)}\"", StringComparison.Ordinal)
                   .Replace("\"2024-12-14T09:00\"", $"\"{At(closes.AddDays(1))}\"", StringComparison.Ordinal);
        yaml = Regex.Replace(yaml, @"^year: \d+", "year: " + closes.Year.ToString(CultureInfo.InvariantCulture), RegexOptions.Multiline);
        File.WriteAllText(Path.Combine(root, "data", "contests", ContestId + ".yaml"), yaml);
        return root;
    }
}
