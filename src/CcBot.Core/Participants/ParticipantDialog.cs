using System.Globalization;
using CcBot.Core.Activities;
using CcBot.Core.Dialogs;
using CcBot.Core.Pipeline;

namespace CcBot.Core.Participants;

/// <summary>Something to refresh when a participant corrects their name or unit (the quiz copies them onto attempts).</summary>
public interface IParticipantChangeListener
{
    Task OnChangedAsync(string? contestId, UserProfile user, CancellationToken cancellationToken);
}

/// <summary>
/// Collects (argument <c>all|&lt;contest&gt;</c>) or corrects (<c>name|…</c>, <c>unit|…</c>) the participant's full name and unit,
/// the unit chosen from the contest's list by typing part of its name, then asks consent to store them.
/// </summary>
public sealed class ParticipantDialog(UnitDirectory units, IEnumerable<IParticipantChangeListener> listeners, Privacy.ConsentLog consents, Microsoft.Extensions.Options.IOptions<Privacy.PrivacyOptions> privacy) : IDialog
{
    public const string DialogId = "participant.profile";

    private const int StepName = 0;
    private const int StepUnit = 1;
    private const int StepConsent = 2;
    private const int MaxUnitButtons = 8;

    public string Id => DialogId;

    public Task<DialogStatus> BeginAsync(DialogContext dc, string? argument, CancellationToken cancellationToken)
    {
        var parts = (argument ?? "all").Split('|', 3);
        dc.Frame.Data["mode"] = parts[0] is "name" or "unit" ? parts[0] : "all";
        if (parts.Length > 1 && parts[1].Length > 0)
        {
            dc.Frame.Data["contest"] = parts[1];
        }

        if (parts.Length > 2 && parts[2] == "entry_submit")
        {
            dc.Frame.Data["next"] = parts[2];
        }

        if (dc.Frame.Data["mode"] == "unit")
        {
            return Task.FromResult(AskUnit(dc));
        }

        dc.Frame.Step = StepName;
        dc.Turn.Reply(dc.Texts.Get("participant.ask_name"), [ReplyButton.Action(dc.Texts.Get("button.cancel"), "menu")]);
        return Task.FromResult(DialogStatus.Waiting);
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        switch (dc.Frame.Step)
        {
            case StepName:
                var name = string.Join(' ', dc.Input.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                if (name.Length is < 2 or > 100 || !name.Any(char.IsLetter) || name.Any(char.IsDigit) || dc.Turn.Activity.Kind == ActivityKind.ButtonClick)
                {
                    dc.Say("participant.name_invalid");
                    return DialogStatus.Waiting;
                }

                dc.Turn.User.FullName = name;
                if (dc.Frame.Data["mode"] == "name")
                {
                    return await SavedAsync(dc, cancellationToken).ConfigureAwait(false);
                }

                return AskUnit(dc);
            case StepUnit:
                return await ChooseUnitAsync(dc, cancellationToken).ConfigureAwait(false);
            default:
                return await ConsentAsync(dc, cancellationToken).ConfigureAwait(false);
        }
    }

    private DialogStatus AskUnit(DialogContext dc)
    {
        dc.Frame.Step = StepUnit;
        dc.Say("participant.ask_unit");
        return DialogStatus.Waiting;
    }

    private async Task<DialogStatus> ChooseUnitAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var contest = dc.Frame.Data.GetValueOrDefault("contest") ?? dc.Turn.State.ContestId ?? string.Empty;
        var list = units.For(contest);
        string? chosen = null;
        if (dc.Input.StartsWith("pu:", StringComparison.Ordinal))
        {
            if (int.TryParse(dc.Input.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < list.Count)
            {
                chosen = list[i];
            }
        }
        else if (list.Count == 0)
        {
            chosen = dc.Input.Length is >= 2 and <= 200 ? dc.Input : null;
        }
        else
        {
            var found = units.Search(contest, dc.Input);
            if (found.Count == 1)
            {
                chosen = found[0];
            }
            else if (found.Count > 1)
            {
                var buttons = found.Take(MaxUnitButtons).Select(u => ReplyButton.Action(u, "pu:" + list.ToList().IndexOf(u).ToString(CultureInfo.InvariantCulture))).ToList();
                dc.Turn.Reply(dc.Texts.Get(found.Count > MaxUnitButtons ? "participant.unit_many" : "participant.unit_choose", ("count", found.Count)), buttons);
                return DialogStatus.Waiting;
            }
        }

        if (chosen is null)
        {
            dc.Say("participant.unit_none", ("text", dc.Input));
            return DialogStatus.Waiting;
        }

        dc.Turn.User.Unit = chosen;
        if (dc.Frame.Data["mode"] == "unit")
        {
            return await SavedAsync(dc, cancellationToken).ConfigureAwait(false);
        }

        dc.Frame.Step = StepConsent;
        dc.Turn.Reply(dc.Texts.Get("participant.consent", ("name", dc.Turn.User.FullName), ("unit", chosen)),
            [ReplyButton.Action(dc.Texts.Get("participant.button.agree"), "pc:yes"), ReplyButton.Action(dc.Texts.Get("participant.button.decline"), "pc:no")]);
        return DialogStatus.Waiting;
    }

    private async Task<DialogStatus> ConsentAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        var answer = CcBot.Nlu.DiacriticFolder.FoldForMatching(dc.Input);
        if (dc.Input == "pc:yes" || answer is "dong y" or "co" or "yes" or "ok")
        {
            dc.Turn.User.ConsentAt = dc.Turn.Now;
            // The log keeps the exact text the participant agreed to and its version (Nghị định 13/2023/NĐ-CP).
            var shown = dc.Texts.Get("participant.consent", ("name", dc.Turn.User.FullName), ("unit", dc.Turn.User.Unit));
            await consents.RecordAsync(new Privacy.PrivacySubject(dc.Turn.User.Channel, dc.Turn.User.ChannelUserId), Privacy.ConsentLog.Given,
                privacy.Value.ConsentVersion, shown, dc.Turn.Now, cancellationToken).ConfigureAwait(false);
            await NotifyAsync(dc, cancellationToken).ConfigureAwait(false);
            var contest = dc.Frame.Data.GetValueOrDefault("contest");
            // After registering for an entry the next step is submitting it; otherwise the quiz contest.
            var entry = dc.Frame.Data.GetValueOrDefault("next") == "entry_submit";
            var buttons = contest is null ? [] : new List<ReplyButton>
            {
                entry ? ReplyButton.Action(dc.Texts.Get("entries.button.submit"), "entry_submit:" + contest) : ReplyButton.Action(dc.Texts.Get("quiz.button.contest"), "quiz_contest:" + contest),
            };
            dc.Turn.Reply(dc.Texts.Get("participant.saved", ("name", dc.Turn.User.FullName), ("unit", dc.Turn.User.Unit)), buttons);
            return DialogStatus.Complete;
        }

        if (dc.Input == "pc:no" || answer is "khong" or "khong dong y" or "no")
        {
            dc.Turn.User.FullName = null;
            dc.Turn.User.Unit = null;
            dc.Turn.User.ConsentAt = null;
            dc.Turn.Reply(dc.Texts.Get("participant.declined"), [ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
            return DialogStatus.Complete;
        }

        dc.Turn.Reply(dc.Texts.Get("participant.consent_again"),
            [ReplyButton.Action(dc.Texts.Get("participant.button.agree"), "pc:yes"), ReplyButton.Action(dc.Texts.Get("participant.button.decline"), "pc:no")]);
        return DialogStatus.Waiting;
    }

    private async Task<DialogStatus> SavedAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        await NotifyAsync(dc, cancellationToken).ConfigureAwait(false);

        dc.Turn.Reply(dc.Texts.Get("participant.updated", ("name", dc.Turn.User.FullName), ("unit", dc.Turn.User.Unit)), [ReplyButton.Action(dc.Texts.Get("button.menu"), "menu")]);
        return DialogStatus.Complete;
    }

    private async Task NotifyAsync(DialogContext dc, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            await listener.OnChangedAsync(dc.Frame.Data.GetValueOrDefault("contest") ?? dc.Turn.State.ContestId, dc.Turn.User, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary><c>profile</c>: shows the stored name, unit and consent, with buttons to correct them.</summary>
public sealed class ParticipantActions(DialogRunner dialogs, Text.ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["profile", "profile_edit"];

    public Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        if (name == "profile_edit")
        {
            return dialogs.BeginAsync(turn, ParticipantDialog.DialogId, argument ?? "all", cancellationToken);
        }

        var contest = argument ?? turn.State.ContestId ?? string.Empty;
        var user = turn.User;
        if (user.FullName is null || user.ConsentAt is null)
        {
            turn.Reply(texts.Get("participant.none"), [ReplyButton.Action(texts.Get("participant.button.enter"), "profile_edit:all|" + contest)]);
            return Task.CompletedTask;
        }

        turn.Reply(texts.Get("participant.show", ("name", user.FullName), ("unit", user.Unit ?? "—"), ("consent", Time.VietnamTime.ToVietnam(user.ConsentAt.Value).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture))),
        [
            ReplyButton.Action(texts.Get("participant.button.edit_name"), "profile_edit:name|" + contest),
            ReplyButton.Action(texts.Get("participant.button.edit_unit"), "profile_edit:unit|" + contest),
            ReplyButton.Action(texts.Get("participant.button.my_data"), "privacy"),
            ReplyButton.Action(texts.Get("button.menu"), "menu"),
        ]);
        return Task.CompletedTask;
    }
}
