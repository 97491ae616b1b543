using System.Globalization;
using CcBot.Core.Time;

namespace CcBot.Core.Contests;

/// <summary>What sort of contest a notice launches.</summary>
public enum ContestKind
{
    OnlineQuiz,
    InitiativeWriting,
    VideoClip,
    OnlineContest,
}

public enum MilestoneKind
{
    Opens,
    Closes,
    Deadline,
    Report,
    Other,
}

public enum SubmissionChannelKind
{
    Email,
    Fanpage,
    Usb,
    Eoffice,
    Website,
    /// <summary>Entries handed to an office (e.g. "bàn giao cho Văn phòng Sở").</summary>
    Office,
}

public enum LinkKind
{
    ContestSite,
    Fanpage,
    Video,
    Portal,
}

/// <summary>
/// A date known to year, month or day precision, as written on a notice
/// (e.g. "Hải Dương, ngày tháng năm 2024" gives year precision only).
/// </summary>
public sealed record PartialDate(int Year, int? Month = null, int? Day = null)
{
    /// <summary>Parses "2024", "2021-06" or "2019-09-10".</summary>
    public static bool TryParse(string? text, out PartialDate? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('-');
        if (parts.Length > 3 || parts[0].Length != 4 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            return false;
        }

        int? m = null, d = null;
        if (parts.Length >= 2)
        {
            if (parts[1].Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mm) || mm is < 1 or > 12)
            {
                return false;
            }

            m = mm;
        }

        if (parts.Length == 3)
        {
            if (parts[2].Length != 2 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var dd) || dd < 1 || dd > DateTime.DaysInMonth(y, m!.Value))
            {
                return false;
            }

            d = dd;
        }

        date = new PartialDate(y, m, d);
        return true;
    }

    /// <summary>ISO-like form used in the YAML files: "2024", "2021-06", "2019-09-10".</summary>
    public string ToIso() => Day is { } d
        ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{d:D2}")
        : Month is { } m ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{m:D2}") : Year.ToString("D4", CultureInfo.InvariantCulture);

    public override string ToString() => ToIso();
}

/// <summary>A fact stated by a document: the text and the id of the <see cref="SourceDocument"/> stating it.</summary>
public sealed record SourcedText(string Text, string Source);

/// <summary>A document the contest is based on: the notice itself (<see cref="Primary"/>) or one it cites.</summary>
public sealed record SourceDocument(
    string Id,
    string? Type,
    string? Number,
    string? Symbol,
    PartialDate? Date,
    string? Issuer,
    string? Title,
    string? Summary,
    bool Primary);

/// <summary>
/// A dated step. <see cref="At"/> is the instant in Vietnam time. For a date-only value, <see cref="EndOfDay"/> says whether it means
/// 24h00 of that day ("trước 24h00 ngày 15/7/2021") or the start of that day ("trước ngày 08/11/2019").
/// </summary>
public sealed record Milestone(
    string Id,
    string Label,
    MilestoneKind Kind,
    DateOnly Date,
    TimeOnly? Time,
    bool EndOfDay,
    string? Actor,
    string Source)
{
    /// <summary>The instant the milestone happens (or expires), in Vietnam time.</summary>
    public DateTimeOffset At => Time is { } t
        ? VietnamTime.At(Date.Year, Date.Month, Date.Day, t.Hour, t.Minute)
        : EndOfDay
            ? VietnamTime.At(Date.Year, Date.Month, Date.Day).AddDays(1)
            : VietnamTime.At(Date.Year, Date.Month, Date.Day);
}

public sealed record SubmissionChannel(SubmissionChannelKind Kind, string Value, string? Note, string Source);

public sealed record ContestLink(LinkKind Kind, string Url, string? Note, string Source);

public sealed record ContestContact(string Name, string? Role, IReadOnlyList<string> Phones, string? Email, string? Note, string Source);

public sealed record ReportingDuty(string Text, string? Due, string Source);

/// <summary>One contest as described in <c>data/contests/&lt;id&gt;.yaml</c>. Immutable.</summary>
public sealed record Contest
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string ShortName { get; init; }
    public required ContestKind Kind { get; init; }
    public required IReadOnlyList<string> Places { get; init; }
    public required int Year { get; init; }
    public bool IsDraft { get; init; }
    public SourcedText? Organizer { get; init; }
    public required IReadOnlyList<SourceDocument> SourceDocuments { get; init; }
    public SourcedText? Audience { get; init; }
    public SourcedText? ParticipationTarget { get; init; }
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
    public IReadOnlyList<SubmissionChannel> SubmissionChannels { get; init; } = [];
    public IReadOnlyList<ContestLink> Links { get; init; } = [];
    public IReadOnlyList<ContestContact> Contacts { get; init; } = [];
    public IReadOnlyList<SourcedText> RulesNotes { get; init; } = [];
    public IReadOnlyList<SourcedText> RegistrationNotes { get; init; } = [];
    public IReadOnlyList<SourcedText> PrizesFunding { get; init; } = [];
    public IReadOnlyList<SourcedText> Voting { get; init; } = [];
    public IReadOnlyList<ReportingDuty> ReportingDuties { get; init; } = [];
    public IReadOnlyList<SourcedText> Warnings { get; init; } = [];

    /// <summary>The notice itself.</summary>
    public SourceDocument PrimaryDocument => SourceDocuments.First(d => d.Primary);

    public SourceDocument? FindDocument(string id) => SourceDocuments.FirstOrDefault(d => d.Id == id);

    public Milestone? Opens => Milestones.FirstOrDefault(m => m.Kind == MilestoneKind.Opens);

    /// <summary>The closing milestone, or else the last deadline.</summary>
    public Milestone? Closes => Milestones.FirstOrDefault(m => m.Kind == MilestoneKind.Closes)
        ?? Milestones.Where(m => m.Kind == MilestoneKind.Deadline).OrderBy(m => m.At).LastOrDefault();
}
