using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Dialogs;
using CcBot.Core.Participants;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Entries;

/// <summary>
/// Entry actions: <c>entries</c> (menu of a contest that takes entries), <c>entry_submit</c> (starts <see cref="EntrySubmitDialog"/> once the
/// participant has name, unit and consent) and <c>my_entries</c> ("bài dự thi của tôi"). Each takes an optional contest id.
/// </summary>
public sealed class EntryActions(EntryService entries, IEntryStore store, ContestCatalog catalog, ContestContext context, DialogRunner dialogs, ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["entries", "entry_submit", "my_entries"];

    public async Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        if (name == "my_entries")
        {
            await MineAsync(turn, cancellationToken).ConfigureAwait(false);
            return;
        }

        var contest = Resolve(entries, context, turn, argument);
        if (contest is null)
        {
            AskWhich(turn, name);
            return;
        }

        turn.State.ContestId = contest.Id;
        if (name == "entries")
        {
            Menu(turn, contest);
            return;
        }

        var user = turn.User;
        if (string.IsNullOrWhiteSpace(user.FullName) || string.IsNullOrWhiteSpace(user.Unit) || user.ConsentAt is null)
        {
            turn.Reply(texts.Get("entries.need_profile"));
            await dialogs.BeginAsync(turn, ParticipantDialog.DialogId, "all|" + contest.Id + "|entry_submit", cancellationToken).ConfigureAwait(false);
            return;
        }

        var pre = await entries.PrecheckAsync(contest.Id, new Submitter(user.Id, user.FullName, user.Unit), turn.Now, cancellationToken).ConfigureAwait(false);
        if (pre.Status != SubmitStatus.Accepted)
        {
            turn.Reply(EntryTexts.Refusal(texts, pre, contest, entries.Find(contest.Id)!.Value.Settings), [ReplyButton.Action(texts.Get("entries.button.mine"), "my_entries"), ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        await dialogs.BeginAsync(turn, EntrySubmitDialog.DialogId, contest.Id, cancellationToken).ConfigureAwait(false);
    }

    private void Menu(TurnContext turn, Contest contest)
    {
        var settings = entries.Find(contest.Id)!.Value.Settings;
        var deadline = EntryService.Deadline(contest, settings);

        turn.Reply(texts.Get("entries.menu", ("contest", contest.ShortName),
                ("deadline", deadline is { } d ? EntryTexts.Deadline(texts, contest, settings, d) : texts.Get("entries.menu.no_deadline")),
                ("video", settings.AcceptsVideoLink ? texts.Get("entries.menu.video") : string.Empty)),
            [
                ReplyButton.Action(texts.Get("entries.button.submit"), "entry_submit:" + contest.Id),
                ReplyButton.Action(texts.Get("entries.button.mine"), "my_entries"),
                ReplyButton.Action(texts.Get("entries.button.vote"), "vote:" + contest.Id),
            ]);
    }

    private async Task MineAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var mine = await store.ListByUserAsync(turn.User.Id, cancellationToken).ConfigureAwait(false);
        if (mine.Count == 0)
        {
            turn.Reply(texts.Get("entries.mine.none"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        var lines = mine.Select(e => texts.Get("entries.mine.row", ("receipt", e.Receipt), ("title", e.Title),
            ("contest", catalog.Find(e.ContestId)?.ShortName ?? e.ContestId), ("moment", ScheduleCalculator.Moment(e.ReceivedAt, texts)),
            ("files", EntryTexts.Files(texts, e) is { Length: > 0 } f ? ". " + f : string.Empty)));
        turn.Reply(texts.Get("entries.mine.header") + "\n" + string.Join("\n", lines), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
    }

    /// <summary>The contest named by the argument, else the conversation's, else the only one taking entries.</summary>
    internal static Contest? Resolve(EntryService entries, ContestContext context, TurnContext turn, string? argument)
    {
        if (argument is { Length: > 0 } && entries.Find(argument.Split('|')[0]) is { } named)
        {
            return named.Contest;
        }

        if (context.Current(turn) is { } current && entries.Find(current.Id) is not null)
        {
            return current;
        }

        var all = entries.Contests.ToList();
        return all.Count == 1 ? all[0] : null;
    }

    private void AskWhich(TurnContext turn, string action)
    {
        var buttons = entries.Contests.Select(c => ReplyButton.Action(c.ShortName, action + ":" + c.Id)).ToList();
        turn.Reply(buttons.Count == 0 ? texts.Get("entries.none") : texts.Get("entries.choose_contest"), buttons.Count == 0 ? [ReplyButton.Action(texts.Get("button.menu"), "menu")] : buttons);
    }
}
