using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CcBot.Core.Contests;
using CcBot.Core.Time;

namespace CcBot.Core.Reminders;

/// <summary>Bound from <c>Reminders</c>: organizer configuration, not contest facts.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>Schedule reminders at all (the web host's Quartz scheduler).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long before every deadline to remind; default 7 days, 3 days, 1 day and 2 hours.</summary>
    public TimeSpan[]? Offsets { get; set; }

    /// <summary>Per-contest overrides: <c>Reminders:Contests:&lt;id&gt;:Offsets</c>.</summary>
    public Dictionary<string, ContestReminderOptions> Contests { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Quiet hours in Vietnam time (default 22:00-06:30): non-urgent reminders wait for the morning. Equal start and end: no quiet hours.</summary>
    public TimeSpan QuietHoursStart { get; set; } = new(22, 0, 0);

    public TimeSpan QuietHoursEnd { get; set; } = new(6, 30, 0);

    /// <summary>How late the "contest has closed" notice may still go out after closing.</summary>
    public TimeSpan ClosingGrace { get; set; } = TimeSpan.FromHours(12);

    /// <summary>On PostgreSQL (clustered Quartz): how often each instance records in the job store that it is alive.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7);

    /// <summary>On PostgreSQL: how long past a missed check-in the other instances wait before taking over its reminders.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan[] DefaultOffsets = [TimeSpan.FromDays(7), TimeSpan.FromDays(3), TimeSpan.FromDays(1), TimeSpan.FromHours(2)];

    public IReadOnlyList<TimeSpan> OffsetsFor(string contestId) =>
        (Contests.TryGetValue(contestId, out var c) && c.Offsets is { Length: > 0 } own ? own : Offsets is { Length: > 0 } all ? all : DefaultOffsets)
        .Distinct().OrderByDescending(o => o).ToList();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (id, offsets) in Contests.Select(kv => (kv.Key, kv.Value.Offsets ?? [])).Prepend(("(all)", Offsets ?? [])))
        {
            if (offsets.Any(o => o <= TimeSpan.Zero || o > TimeSpan.FromDays(365)))
            {
                errors.Add($"Reminders offsets of {id} must be positive and at most 365 days.");
            }
        }

        if (QuietHoursStart < TimeSpan.Zero || QuietHoursStart >= TimeSpan.FromDays(1) || QuietHoursEnd < TimeSpan.Zero || QuietHoursEnd >= TimeSpan.FromDays(1))
        {
            errors.Add("Reminders:QuietHoursStart and QuietHoursEnd must be times of day (00:00 to 23:59).");
        }

        if (ClusterCheckinInterval < TimeSpan.FromSeconds(1) || ClusterCheckinMisfireThreshold < TimeSpan.FromSeconds(1))
        {
            errors.Add("Reminders:ClusterCheckinInterval and ClusterCheckinMisfireThreshold must be at least 1 second.");
        }

        if (ClosingGrace < TimeSpan.Zero)
        {
            errors.Add("Reminders:ClosingGrace must not be negative.");
        }

        return errors;
    }
}

public sealed class ContestReminderOptions
{
    public TimeSpan[]? Offsets { get; set; }
}

public enum ReminderKind
{
    /// <summary>The contest opens (sent at the opening; late while the contest is still open).</summary>
    Opening,
    /// <summary>An offset before a deadline or the closing (late while the deadline is ahead).</summary>
    BeforeDeadline,
    /// <summary>The contest has closed (late within <see cref="ReminderOptions.ClosingGrace"/>).</summary>
    Closing,
}

/// <summary>One reminder of one contest: when it fires, and until when it is still worth sending.</summary>
public sealed record ReminderOccurrence(string Key, ReminderKind Kind, Milestone Milestone, DateTimeOffset FireAt, DateTimeOffset ExpiresAt, TimeSpan? Offset);

/// <summary>Derives a contest's reminders from its milestones and the configured offsets.</summary>
public static class ReminderPlanner
{
    public static IReadOnlyList<ReminderOccurrence> Plan(Contest contest, ReminderOptions options)
    {
        var list = new List<ReminderOccurrence>();
        var closes = contest.Closes;
        if (contest.Opens is { } opens)
        {
            var expires = closes is not null && closes.At > opens.At ? closes.At : opens.At.AddDays(1);
            list.Add(new ReminderOccurrence($"opens:{opens.Id}:{Stamp(opens.At)}", ReminderKind.Opening, opens, opens.At, expires, null));
        }

        var deadlines = contest.Milestones.Where(m => m.Kind is MilestoneKind.Deadline or MilestoneKind.Closes).ToList();
        if (closes is not null && !deadlines.Contains(closes))
        {
            deadlines.Add(closes);
        }

        foreach (var m in deadlines)
        {
            foreach (var offset in options.OffsetsFor(contest.Id))
            {
                var fire = m.At - offset;
                if (contest.Opens is { } o && fire < o.At)
                {
                    continue; // before the contest opened: nothing to remind yet
                }

                list.Add(new ReminderOccurrence(
                    $"before:{m.Id}:{Stamp(m.At)}:{(long)offset.TotalSeconds}s", ReminderKind.BeforeDeadline, m, fire, m.At, offset));
            }
        }

        if (closes is not null)
        {
            list.Add(new ReminderOccurrence($"closes:{closes.Id}:{Stamp(closes.At)}", ReminderKind.Closing, closes, closes.At, closes.At + options.ClosingGrace, null));
        }

        return [.. list.OrderBy(r => r.FireAt).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>Changes when a milestone, the offsets or the grace change: the contest's jobs are then rescheduled.</summary>
    public static string Fingerprint(Contest contest, ReminderOptions options)
    {
        var sb = new StringBuilder();
        foreach (var r in Plan(contest, options))
        {
            sb.Append(r.Key).Append('|').Append(r.FireAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('|')
              .Append(r.ExpiresAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..24];
    }

    private static string Stamp(DateTimeOffset at) => VietnamTime.ToVietnam(at).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}

/// <summary>Quiet hours in Vietnam time.</summary>
public static class QuietHours
{
    /// <summary>When the quiet period containing <paramref name="now"/> ends, or null when <paramref name="now"/> is not quiet.</summary>
    public static DateTimeOffset? EndOf(DateTimeOffset now, TimeSpan start, TimeSpan end)
    {
        if (start == end)
        {
            return null;
        }

        var local = VietnamTime.ToVietnam(now);
        var tod = local.TimeOfDay;
        var day = new DateTimeOffset(local.Date, VietnamTime.Offset);
        if (start > end)
        {
            if (tod >= start)
            {
                return day.AddDays(1) + end;
            }

            return tod < end ? day + end : null;
        }

        return tod >= start && tod < end ? day + end : null;
    }
}
