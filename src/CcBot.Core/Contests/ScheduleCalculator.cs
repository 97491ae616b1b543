using System.Globalization;
using CcBot.Core.Text;
using CcBot.Core.Time;

namespace CcBot.Core.Contests;

public enum ContestStatus
{
    /// <summary>The notice states no date to compute a status from.</summary>
    Unknown,
    NotStarted,
    Running,
    Ended,
}

/// <summary>Where a contest stands at a given instant.</summary>
public sealed record ContestSchedule(ContestStatus Status, Milestone? Opens, Milestone? Closes, TimeSpan? UntilOpens, TimeSpan? UntilCloses);

/// <summary>Pure schedule arithmetic and Vietnamese phrasing of contest times. Every word comes from <see cref="ITextCatalog"/>.</summary>
public static class ScheduleCalculator
{
    /// <summary>The status of <paramref name="contest"/> at <paramref name="now"/>.</summary>
    public static ContestSchedule Compute(Contest contest, DateTimeOffset now)
    {
        var opens = contest.Opens;
        var closes = contest.Closes;
        var status = Status(opens?.At, closes?.At, now);
        return new ContestSchedule(
            status,
            opens,
            closes,
            opens is not null && now < opens.At ? opens.At - now : null,
            closes is not null && now < closes.At ? closes.At - now : null);
    }

    /// <summary>NotStarted before <paramref name="opens"/>, Ended from <paramref name="closes"/> on, Running in between; Unknown without any date.</summary>
    public static ContestStatus Status(DateTimeOffset? opens, DateTimeOffset? closes, DateTimeOffset now)
    {
        if (opens is null && closes is null)
        {
            return ContestStatus.Unknown;
        }

        if (opens is { } o && now < o)
        {
            return ContestStatus.NotStarted;
        }

        if (closes is { } c && now >= c)
        {
            return ContestStatus.Ended;
        }

        return ContestStatus.Running;
    }

    /// <summary>"chưa bắt đầu, mở lúc 7h30 ngày 18/11/2024", "đang diễn ra, còn 3 ngày 4 giờ (...)", "đã kết thúc lúc 16h30 ngày 13/12/2024".</summary>
    public static string Describe(Contest contest, DateTimeOffset now, ITextCatalog texts)
    {
        var s = Compute(contest, now);
        return s.Status switch
        {
            ContestStatus.NotStarted => texts.Get("contests.status.not_started",
                ("moment", Moment(s.Opens!, texts)), ("remaining", Duration(s.UntilOpens!.Value, texts))),
            ContestStatus.Running when s.Closes is not null => texts.Get(s.Closes.Time is null && !s.Closes.EndOfDay ? "contests.status.running_before_day" : "contests.status.running",
                ("remaining", Duration(s.UntilCloses!.Value, texts)), ("moment", Moment(s.Closes, texts))),
            ContestStatus.Running => texts.Get("contests.status.running_no_end"),
            ContestStatus.Ended => texts.Get(s.Closes!.Time is null && !s.Closes.EndOfDay ? "contests.status.ended_before_day" : "contests.status.ended",
                ("moment", Moment(s.Closes, texts))),
            _ => texts.Get("contests.status.unknown"),
        };
    }

    /// <summary>"3 ngày 4 giờ", "2 giờ 15 phút", "15 phút", "dưới 1 phút" (largest two units, rounded down).</summary>
    public static string Duration(TimeSpan span, ITextCatalog texts)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return texts.Get("contests.duration.under_minute");
        }

        var days = (int)span.TotalDays;
        var parts = new List<string>(2);
        if (days > 0)
        {
            parts.Add(texts.Get("contests.duration.days", ("n", days)));
            if (span.Hours > 0)
            {
                parts.Add(texts.Get("contests.duration.hours", ("n", span.Hours)));
            }
        }
        else
        {
            if (span.Hours > 0)
            {
                parts.Add(texts.Get("contests.duration.hours", ("n", span.Hours)));
            }

            if (span.Minutes > 0)
            {
                parts.Add(texts.Get("contests.duration.minutes", ("n", span.Minutes)));
            }
        }

        return string.Join(' ', parts);
    }

    /// <summary>"16h30" (no leading zero on the hour, as on the notices).</summary>
    public static string Clock(int hour, int minute) => string.Create(CultureInfo.InvariantCulture, $"{hour}h{minute:D2}");

    /// <summary>
    /// "13/12/2024", "15/7/2021", "08/11/2019", "29/01/2019": the way administrative documents write dates
    /// (a day below 10 and the months 1 and 2 take a leading zero, as in Nghị định 30/2020/NĐ-CP), so dates read as on the notices.
    /// </summary>
    public static string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture,
        $"{(date.Day < 10 ? date.Day.ToString("D2", CultureInfo.InvariantCulture) : date.Day.ToString(CultureInfo.InvariantCulture))}/{(date.Month <= 2 ? date.Month.ToString("D2", CultureInfo.InvariantCulture) : date.Month.ToString(CultureInfo.InvariantCulture))}/{date.Year}");

    /// <summary>"16h30 ngày 13/12/2024" for an instant (shown in Vietnam time).</summary>
    public static string Moment(DateTimeOffset instant, ITextCatalog texts)
    {
        var local = VietnamTime.ToVietnam(instant);
        return texts.Get("contests.time.moment", ("clock", Clock(local.Hour, local.Minute)), ("date", Date(DateOnly.FromDateTime(local.DateTime))));
    }

    /// <summary>
    /// A milestone as the notice means it: "16h30 ngày 13/12/2024", "24h00 ngày 15/07/2021" (end of that day)
    /// or "ngày 08/11/2019" (a date without time that is not end of day).
    /// </summary>
    public static string Moment(Milestone milestone, ITextCatalog texts) => milestone.Time is { } t
        ? texts.Get("contests.time.moment", ("clock", Clock(t.Hour, t.Minute)), ("date", Date(milestone.Date)))
        : milestone.EndOfDay
            ? texts.Get("contests.time.moment", ("clock", "24h00"), ("date", Date(milestone.Date)))
            : texts.Get("contests.time.day", ("date", Date(milestone.Date)));

    /// <summary>"16h30 ngày 13/12/2024 (thứ Sáu)".</summary>
    public static string MomentWithWeekday(Milestone milestone, ITextCatalog texts) =>
        texts.Get("contests.time.with_weekday", ("moment", Moment(milestone, texts)), ("weekday", Weekday(milestone.Date.DayOfWeek, texts)));

    /// <summary>"thứ Hai" ... "Chủ nhật".</summary>
    public static string Weekday(DayOfWeek day, ITextCatalog texts) =>
        texts.Get("contests.weekday." + day.ToString().ToLowerInvariant());

    /// <summary>The phrase for a milestone in a schedule list: "từ 7h30 ngày ...", "trước 24h00 ngày ...", "16h30 ngày ...".</summary>
    public static string When(Milestone milestone, ITextCatalog texts)
    {
        var moment = Moment(milestone, texts);
        var before = milestone.Time is null || milestone.Kind is MilestoneKind.Deadline or MilestoneKind.Report;
        if (milestone.Kind == MilestoneKind.Opens && milestone.Time is not null)
        {
            return texts.Get("contests.time.from", ("moment", moment));
        }

        return before ? texts.Get("contests.time.before", ("moment", moment)) : moment;
    }
}
