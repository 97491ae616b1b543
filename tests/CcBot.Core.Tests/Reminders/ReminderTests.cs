using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Outbox;
using CcBot.Core.Pipeline;
using CcBot.Core.Reminders;
using CcBot.Core.Tests.Contests;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Reminders;

public sealed class ReminderTests
{
    // Opens 18/11/2024 07:30, submissions due 10/12/2024 17:00, closes 13/12/2024 16:30 (Vietnam time).
    private static readonly DateTimeOffset Opens = VietnamTime.At(2024, 11, 18, 7, 30);
    private static readonly DateTimeOffset Deadline = VietnamTime.At(2024, 12, 10, 17, 0);
    private static readonly DateTimeOffset Closes = VietnamTime.At(2024, 12, 13, 16, 30);

    private static Contest Contest(string id = "thu-2024") => ReminderHarness.MakeContest(id, Opens, Deadline, Closes);

    private static string KeyBefore(string milestone, DateTimeOffset at, TimeSpan offset) =>
        $"before:{milestone}:{VietnamTime.ToVietnam(at):yyyyMMddHHmm}:{(long)offset.TotalSeconds}s";

    [Fact]
    public void Plan_has_opening_every_offset_before_each_deadline_and_closing()
    {
        var plan = ReminderPlanner.Plan(Contest(), new ReminderOptions());
        plan.Should().HaveCount(1 + 4 + 4 + 1);
        plan[0].Kind.Should().Be(ReminderKind.Opening);
        plan[0].FireAt.Should().Be(Opens);
        plan[^1].Kind.Should().Be(ReminderKind.Closing);
        plan.Where(p => p.Milestone.Id == "nop-bai").Select(p => Deadline - p.FireAt).Should()
            .BeEquivalentTo([TimeSpan.FromDays(7), TimeSpan.FromDays(3), TimeSpan.FromDays(1), TimeSpan.FromHours(2)]);
        plan.Where(p => p.Kind == ReminderKind.BeforeDeadline).Should().OnlyContain(p => p.ExpiresAt == p.Milestone.At);
        plan.Select(p => p.FireAt).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Offsets_are_configurable_per_contest_and_skip_times_before_opening()
    {
        var options = new ReminderOptions { Offsets = [TimeSpan.FromDays(1)] };
        options.Contests["thu-2024"] = new ContestReminderOptions { Offsets = [TimeSpan.FromDays(30), TimeSpan.FromHours(5)] };
        var plan = ReminderPlanner.Plan(Contest(), options);
        // 30 days before the deadline is before the opening: skipped.
        plan.Where(p => p.Kind == ReminderKind.BeforeDeadline).Select(p => p.Offset).Should().OnlyContain(o => o == TimeSpan.FromHours(5));
        ReminderPlanner.Plan(Contest("other"), options).Where(p => p.Kind == ReminderKind.BeforeDeadline).Select(p => p.Offset)
            .Should().OnlyContain(o => o == TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Day_only_deadlines_read_before_that_day_in_reminders_never_at_a_day()
    {
        var haNoi = Repo.Catalog.Find("ha-noi-2019")!;
        await using var h = await ReminderHarness.CreateAsync("sqlite", [haNoi], new ManualClock(VietnamTime.At(2019, 11, 1)));
        var plan = ReminderPlanner.Plan(haNoi, new ReminderOptions());

        var before = plan.First(p => p.Kind == ReminderKind.BeforeDeadline && p.Milestone.Id == "units-to-office");
        h.Dispatcher.Render(haNoi, before, before.FireAt).Text.Should().Contain("(trước ngày 08/11/2019)");
        var closing = plan.Single(p => p.Kind == ReminderKind.Closing);
        h.Dispatcher.Render(haNoi, closing, closing.FireAt).Text.Should().Contain(": trước ngày 15/11/2019.").And.NotContain("lúc ngày");
    }

    [Fact]
    public void Fingerprint_changes_only_when_dates_or_offsets_change()
    {
        var options = new ReminderOptions();
        var a = ReminderPlanner.Fingerprint(Contest(), options);
        ReminderPlanner.Fingerprint(Contest(), options).Should().Be(a);
        ReminderPlanner.Fingerprint(ReminderHarness.MakeContest("thu-2024", Opens, Deadline.AddDays(2), Closes), options).Should().NotBe(a);
        ReminderPlanner.Fingerprint(Contest(), new ReminderOptions { Offsets = [TimeSpan.FromDays(2)] }).Should().NotBe(a);
    }

    [Theory]
    [InlineData(23, 0, true, 1, 6, 30)]
    [InlineData(2, 15, true, 0, 6, 30)]
    [InlineData(6, 30, false, 0, 0, 0)]
    [InlineData(12, 0, false, 0, 0, 0)]
    [InlineData(21, 59, false, 0, 0, 0)]
    public void Quiet_hours_end_in_the_morning(int hour, int minute, bool quiet, int addDays, int endHour, int endMinute)
    {
        var now = VietnamTime.At(2024, 12, 5, hour, minute);
        var end = QuietHours.EndOf(now, new TimeSpan(22, 0, 0), new TimeSpan(6, 30, 0));
        if (!quiet)
        {
            end.Should().BeNull();
            return;
        }

        end.Should().Be(VietnamTime.At(2024, 12, 5 + addDays, endHour, endMinute));
    }
}
