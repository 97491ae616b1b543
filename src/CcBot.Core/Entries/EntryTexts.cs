using CcBot.Core.Contests;
using CcBot.Core.Text;

namespace CcBot.Core.Entries;

/// <summary>Participant-facing wording of entry results (texts in <c>dialogs/entries.yaml</c>).</summary>
public static class EntryTexts
{
    public static string Refusal(ITextCatalog texts, SubmitResult result, Contest contest, EntrySettings settings)
    {
        var video = settings.AcceptsVideoLink ? texts.Get("entries.menu.video") : string.Empty;
        return result.Status switch
        {
            SubmitStatus.Closed => texts.Get("entries.refused.closed", ("moment", result.Deadline is { } d ? Deadline(texts, contest, settings, d) : string.Empty)),
            SubmitStatus.BadType => texts.Get("entries.refused.bad_type", ("detail", result.Detail)),
            SubmitStatus.TooLarge => texts.Get("entries.refused.too_large", ("detail", result.Detail)),
            SubmitStatus.BadLink => texts.Get("entries.refused.bad_link"),
            SubmitStatus.NothingSubmitted => texts.Get("entries.refused.nothing", ("video", video)),
            SubmitStatus.PersonLimit => texts.Get("entries.refused.person_limit", ("detail", result.Detail)),
            SubmitStatus.UnitLimit => texts.Get("entries.refused.unit_limit", ("detail", result.Detail)),
            SubmitStatus.MissingTitle => texts.Get("entries.refused.title"),
            _ => texts.Get("entries.not_accepting"),
        };
    }

    /// <summary>The files and link of an entry for receipts and lists.</summary>
    public static string Files(ITextCatalog texts, Entry e)
    {
        var parts = new List<string>();
        if (e.FileName is not null)
        {
            parts.Add(texts.Get("entries.files.document", ("name", e.FileName), ("size", EntryService.FormatSize(e.FileSize ?? 0))));
        }

        if (e.VideoUrl is not null)
        {
            parts.Add(texts.Get("entries.files.video", ("url", e.VideoUrl)));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The deadline as the notice words it ("24h00 ngày 15/7/2021") when it is the milestone's, else the instant (a reopening).</summary>
    public static string Deadline(ITextCatalog texts, Contest contest, EntrySettings settings, DateTimeOffset at) =>
        EntryService.DeadlineMilestone(contest, settings) is { } m && m.At == at ? ScheduleCalculator.Moment(m, texts) : ScheduleCalculator.Moment(at, texts);
}
