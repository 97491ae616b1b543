using CcBot.Core.Contests;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Contests;

public class ScheduleCalculatorTests
{
    private static string Describe(string id, TimeProvider clock) =>
        ScheduleCalculator.Describe(Repo.Contest(id), VietnamTime.Now(clock), Repo.Texts);

    [Fact]
    public void Hai_duong_before_during_and_after_the_window()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 11, 15, 3, 30));
        var contest = Repo.Contest("hai-duong-2024");

        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.NotStarted);
        Describe("hai-duong-2024", clock).Should().Be("chưa bắt đầu, mở lúc 7h30 ngày 18/11/2024 (còn 3 ngày 4 giờ)");

        clock.UtcNow = VietnamTime.At(2024, 11, 18, 7, 30);
        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.Running);

        clock.UtcNow = VietnamTime.At(2024, 12, 13, 14, 15);
        Describe("hai-duong-2024", clock).Should().Be("đang diễn ra, còn 2 giờ 15 phút (kết thúc lúc 16h30 ngày 13/12/2024)");

        clock.Advance(TimeSpan.FromMinutes(135));
        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.Ended);
        Describe("hai-duong-2024", clock).Should().Be("đã kết thúc lúc 16h30 ngày 13/12/2024");
    }

    [Fact]
    public void The_clock_in_utc_is_shown_in_vietnam_time()
    {
        // 00:29 UTC = 7h29 in Vietnam: one minute before opening.
        var clock = new ManualClock(new DateTimeOffset(2024, 11, 18, 0, 29, 0, TimeSpan.Zero));

        Describe("hai-duong-2024", clock).Should().Be("chưa bắt đầu, mở lúc 7h30 ngày 18/11/2024 (còn 1 phút)");
    }

    [Fact]
    public void Khanh_hoa_24h00_is_the_end_of_the_day()
    {
        var contest = Repo.Contest("khanh-hoa-2021");
        contest.Closes!.At.Should().Be(VietnamTime.At(2021, 7, 16));

        var clock = new ManualClock(VietnamTime.At(2021, 7, 15, 23, 59));
        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.Running);
        Describe("khanh-hoa-2021", clock).Should().Be("đang diễn ra, còn 1 phút (kết thúc lúc 24h00 ngày 15/7/2021)");

        clock.Advance(TimeSpan.FromMinutes(1));
        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.Ended);
        Describe("khanh-hoa-2021", clock).Should().Be("đã kết thúc lúc 24h00 ngày 15/7/2021");
    }

    [Fact]
    public void Ha_noi_truoc_ngay_means_before_the_start_of_that_day()
    {
        var contest = Repo.Contest("ha-noi-2019");
        contest.Milestones.Single(m => m.Id == "units-to-office").At.Should().Be(VietnamTime.At(2019, 11, 8));

        var clock = new ManualClock(VietnamTime.At(2019, 11, 14, 23, 0));
        Describe("ha-noi-2019", clock).Should().Be("đang diễn ra, còn 1 giờ (hạn chót: trước ngày 15/11/2019)");

        clock.UtcNow = VietnamTime.At(2019, 11, 15, 0, 0);
        Describe("ha-noi-2019", clock).Should().Be("đã hết hạn (hạn chót: trước ngày 15/11/2019)");
    }

    [Fact]
    public void Bac_giang_window_is_8h00_to_8h00()
    {
        var contest = Repo.Contest("bac-giang-2020");
        var clock = new ManualClock(VietnamTime.At(2020, 9, 15, 7, 59));
        ScheduleCalculator.Compute(contest, VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.NotStarted);

        clock.UtcNow = VietnamTime.At(2020, 10, 12, 4, 0);
        Describe("bac-giang-2020", clock).Should().Be("đang diễn ra, còn 3 ngày 4 giờ (kết thúc lúc 8h00 ngày 15/10/2020)");

        clock.UtcNow = VietnamTime.At(2020, 10, 15, 8, 0);
        Describe("bac-giang-2020", clock).Should().Be("đã kết thúc lúc 8h00 ngày 15/10/2020");
    }

    [Fact]
    public void Hai_phong_has_no_dates()
    {
        var clock = new ManualClock(VietnamTime.At(2024, 10, 10));

        ScheduleCalculator.Compute(Repo.Contest("hai-phong-2024"), VietnamTime.Now(clock)).Status.Should().Be(ContestStatus.Unknown);
        Describe("hai-phong-2024", clock).Should().Be("văn bản không nêu thời gian diễn ra");
    }

    [Theory]
    [InlineData(0, 0, 0, 30, "dưới 1 phút")]
    [InlineData(0, 0, 15, 0, "15 phút")]
    [InlineData(0, 2, 15, 0, "2 giờ 15 phút")]
    [InlineData(0, 2, 0, 0, "2 giờ")]
    [InlineData(3, 4, 59, 0, "3 ngày 4 giờ")]
    [InlineData(1, 0, 30, 0, "1 ngày")]
    public void Durations(int d, int h, int m, int s, string expected) =>
        ScheduleCalculator.Duration(new TimeSpan(d, h, m, s), Repo.Texts).Should().Be(expected);

    [Fact]
    public void Time_formatting_helpers()
    {
        var opens = Repo.Contest("hai-duong-2024").Opens!;
        ScheduleCalculator.Moment(opens, Repo.Texts).Should().Be("7h30 ngày 18/11/2024");
        ScheduleCalculator.MomentWithWeekday(opens, Repo.Texts).Should().Be("7h30 ngày 18/11/2024 (thứ Hai)");
        ScheduleCalculator.MomentWithWeekday(Repo.Contest("hai-duong-2024").Closes!, Repo.Texts).Should().Be("16h30 ngày 13/12/2024 (thứ Sáu)");
        ScheduleCalculator.Moment(new DateTimeOffset(2024, 12, 13, 9, 30, 0, TimeSpan.Zero), Repo.Texts).Should().Be("16h30 ngày 13/12/2024");
        ScheduleCalculator.When(Repo.Contest("hai-duong-2024").Milestones.Single(m => m.Id == "report"), Repo.Texts).Should().Be("trước 9h00 ngày 14/12/2024");
        ScheduleCalculator.When(Repo.Contest("khanh-hoa-2021").Closes!, Repo.Texts).Should().Be("trước 24h00 ngày 15/7/2021");
    }
}

public class ContestDateFormatTests
{
    [Theory]
    [InlineData(2019, 11, 8, "08/11/2019")]
    [InlineData(2019, 9, 10, "10/9/2019")]
    [InlineData(2019, 1, 29, "29/01/2019")]
    [InlineData(2021, 7, 15, "15/7/2021")]
    [InlineData(2024, 12, 13, "13/12/2024")]
    [InlineData(2024, 10, 4, "04/10/2024")]
    public void Dates_read_as_on_the_notices(int y, int m, int d, string expected) =>
        ScheduleCalculator.Date(new DateOnly(y, m, d)).Should().Be(expected);
}
