using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Dialogs;

namespace CcBot.Core.Entries;

/// <summary>
/// Submits one entry (argument: contest id): asks the title, then the document (attachment) and/or video link, then answers with the
/// receipt or the reason for refusal. The participant must already have a name, unit and consent (checked by <see cref="EntryActions"/>).
/// </summary>
public sealed class EntrySubmitDialog(EntryService entries, IEnumerable<IAttachmentFetcher> fetchers) : IDialog
{
    public const string DialogId = "entries.submit";

    private const int StepTitle = 0;
    private const int StepFile = 1;

    public string Id => DialogId;

    public Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        dc.Frame.Data["contest"] = argument ?? string.Empty;
        dc.Frame.Step = StepTitle;
        dc.Turn.Reply(dc.Texts.Get("entries.ask_title"), [ReplyButton.Action(dc.Texts.Get("button.cancel"), "menu")]);
        return Task.FromResult(DialogStatus.Waiting);
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        if (entries.Find(dc.Frame.Data["contest"]) is not { } found)
        {
            dc.Say("entries.not_accepting");
            return DialogStatus.Complete;
        }

        var settings = found.Settings;
        var video = settings.AcceptsVideoLink ? dc.Texts.Get("entries.ask_file.video") : string.Empty;
        if (dc.Frame.Step == StepTitle)
        {
            var title = string.Join(' ', dc.Input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (title.Length is < 3 or > 200 || dc.Turn.Activity.Kind == ActivityKind.ButtonClick)
            {
                dc.Say("entries.title_invalid");
                return DialogStatus.Waiting;
            }

            dc.Frame.Data["title"] = title;
            dc.Frame.Step = StepFile;
            dc.Say("entries.ask_file", ("types", string.Join(", ", settings.FileTypes.Select(t => "." + t))), ("size", EntryService.FormatSize(settings.MaxFileBytes)), ("video", video));
            return DialogStatus.Waiting;
        }

        var link = dc.Input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.StartsWith("http", StringComparison.OrdinalIgnoreCase));
        var attachment = dc.Turn.Activity.Attachments.FirstOrDefault();
        if (attachment is null && link is null)
        {
            dc.Say("entries.file_missing", ("video", video));
            return DialogStatus.Waiting;
        }

        EntryDocument? document = null;
        if (attachment is not null)
        {
            var name = attachment.Name ?? "tep";
            if (EntryService.CheckDocument(settings, name, attachment.Size ?? 0) is { } refused)
            {
                dc.Turn.Reply(EntryTexts.Refusal(dc.Texts, refused, found.Contest, settings));
                return DialogStatus.Waiting;
            }

            var fetcher = fetchers.FirstOrDefault(f => f.Handles(dc.Turn.Activity.Channel, attachment));
            var bytes = fetcher is null ? null : await fetcher.FetchAsync(attachment, settings.MaxFileBytes + 1, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                dc.Say("entries.file_unreadable", ("name", name));
                return DialogStatus.Waiting;
            }

            document = new EntryDocument(name, bytes);
        }

        var user = dc.Turn.User;
        var result = await entries.SubmitAsync(found.Contest.Id, new Submitter(user.Id, user.FullName ?? string.Empty, user.Unit ?? string.Empty),
            dc.Frame.Data["title"], document, link, dc.Turn.Now, cancellationToken).ConfigureAwait(false);
        if (result.Status != SubmitStatus.Accepted)
        {
            dc.Turn.Reply(EntryTexts.Refusal(dc.Texts, result, found.Contest, settings));
            return result.Status is SubmitStatus.BadType or SubmitStatus.TooLarge or SubmitStatus.BadLink or SubmitStatus.NothingSubmitted
                ? DialogStatus.Waiting
                : DialogStatus.Complete;
        }

        var e = result.Entry!;
        dc.Turn.Reply(dc.Texts.Get("entries.accepted", ("title", e.Title), ("receipt", e.Receipt), ("moment", ScheduleCalculator.Moment(e.ReceivedAt, dc.Texts)),
            ("files", EntryTexts.Files(dc.Texts, e))),
            [ReplyButton.Action(dc.Texts.Get("entries.button.mine"), "my_entries"), ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
        return DialogStatus.Complete;
    }
}
