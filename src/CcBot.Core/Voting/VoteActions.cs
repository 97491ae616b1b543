using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Dialogs;
using CcBot.Core.Entries;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Voting;

/// <summary>
/// Voting actions: <c>vote:&lt;contest&gt;</c> shows the ballot (approved entries: title, unit, link), <c>vote:&lt;contest&gt;|&lt;receipt&gt;</c> casts a
/// vote, <c>unvote:&lt;contest&gt;|&lt;receipt&gt;</c> withdraws one (when the contest allows changes), <c>tally:&lt;contest&gt;</c> shows the live
/// tally when the contest makes it public, and always for the organizers of <see cref="EntryOptions.Organizers"/> (with burst flags).
/// </summary>
public sealed class VoteActions(VotingService voting, EntryService entries, ContestContext context, ITextCatalog texts, Microsoft.Extensions.Options.IOptions<EntryOptions> options) : IBotAction
{
    private const int MaxButtons = 10;

    public IReadOnlyCollection<string> Names { get; } = ["vote", "unvote", "tally"];

    public async Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        var contest = EntryActions.Resolve(entries, context, turn, argument);
        if (contest is null)
        {
            var buttons = entries.Contests.Select(c => ReplyButton.Action(c.ShortName, name + ":" + c.Id)).ToList();
            turn.Reply(buttons.Count == 0 ? texts.Get("entries.none") : texts.Get("entries.choose_contest"), buttons.Count == 0 ? [Menu()] : buttons);
            return;
        }

        var receipt = argument?.Split('|') is { Length: > 1 } parts ? parts[1] : null;
        switch (name)
        {
            case "tally":
                await TallyAsync(turn, contest, cancellationToken).ConfigureAwait(false);
                break;
            case "unvote" when receipt is not null:
                Answer(turn, contest, receipt, await voting.WithdrawAsync(contest.Id, receipt, turn.User.Id, turn.Now, cancellationToken).ConfigureAwait(false));
                break;
            case "vote" when receipt is not null:
                Answer(turn, contest, receipt, await voting.CastAsync(contest.Id, receipt, turn.User.Id, turn.User.CreatedAt, turn.Now, cancellationToken).ConfigureAwait(false));
                break;
            default:
                await BallotAsync(turn, contest, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task BallotAsync(TurnContext turn, Contest contest, CancellationToken cancellationToken)
    {
        var window = await voting.WindowAsync(contest.Id, cancellationToken).ConfigureAwait(false);
        var settings = entries.Find(contest.Id)!.Value.Settings.Voting;
        if (window is null)
        {
            turn.Reply(texts.Get("voting.refused.no_window"), [Menu()]);
            return;
        }

        var ballot = await voting.BallotAsync(contest.Id, cancellationToken).ConfigureAwait(false);
        if (ballot.Count == 0)
        {
            turn.Reply(texts.Get("voting.ballot.empty"), [Menu()]);
            return;
        }

        var mine = await voting.MyVotesAsync(contest.Id, turn.User.Id, cancellationToken).ConfigureAwait(false);
        var lines = ballot.Select(e => texts.Get("voting.ballot.row", ("receipt", e.Receipt), ("title", e.Title), ("unit", e.Unit),
            ("link", e.VideoUrl is null ? string.Empty : " " + e.VideoUrl), ("mine", mine.Contains(e.Id) ? texts.Get("voting.ballot.mine") : string.Empty)));
        var buttons = ballot.Take(MaxButtons).Select(e => mine.Contains(e.Id)
                ? ReplyButton.Action(texts.Get("voting.button.unvote", ("receipt", e.Receipt)), $"unvote:{contest.Id}|{e.Receipt}")
                : ReplyButton.Action(texts.Get("voting.button.vote", ("receipt", e.Receipt)), $"vote:{contest.Id}|{e.Receipt}"))
            .Where(b => settings.AllowChange || !b.Value!.StartsWith("unvote", StringComparison.Ordinal)).ToList();
        if (settings.PublicTally || options.Value.IsOrganizer(turn.User))
        {
            buttons.Add(ReplyButton.Action(texts.Get("voting.button.tally"), "tally:" + contest.Id));
        }

        turn.Reply(texts.Get("voting.ballot.header", ("contest", contest.ShortName), ("opens", Moment(window.OpensAt)), ("closes", Moment(window.ClosesAt)),
            ("limit", settings.VotesPerPerson)) + "\n" + string.Join("\n", lines), buttons);
    }

    private void Answer(TurnContext turn, Contest contest, string receipt, VoteResult r)
    {
        var window = (("opens", (object?)(r.Window is null ? null : Moment(r.Window.OpensAt))), ("closes", (object?)(r.Window is null ? null : Moment(r.Window.ClosesAt))));
        var allowChange = entries.Find(contest.Id)?.Settings.Voting.AllowChange == true;
        var text = r.Status switch
        {
            VoteStatus.Recorded => texts.Get("voting.recorded", ("receipt", receipt.ToUpperInvariant()), ("used", r.Used), ("limit", r.Limit)),
            VoteStatus.Withdrawn => texts.Get("voting.withdrawn", ("receipt", receipt.ToUpperInvariant())),
            VoteStatus.NotOpenYet => texts.Get("voting.refused.not_open", window.Item1, window.Item2),
            VoteStatus.Closed => texts.Get("voting.refused.closed", window.Item1, window.Item2),
            VoteStatus.UnknownEntry => texts.Get("voting.refused.unknown", ("receipt", receipt)),
            VoteStatus.AlreadyVoted => texts.Get("voting.refused.already", ("receipt", receipt.ToUpperInvariant())),
            VoteStatus.LimitReached => texts.Get(allowChange ? "voting.refused.limit_change" : "voting.refused.limit", ("limit", r.Limit)),
            VoteStatus.ChangeNotAllowed => texts.Get("voting.refused.no_change"),
            VoteStatus.NotVoted => texts.Get("voting.refused.not_voted", ("receipt", receipt)),
            _ => texts.Get("voting.refused.no_window"),
        };
        turn.Reply(text, [ReplyButton.Action(texts.Get("entries.button.vote"), "vote:" + contest.Id), Menu()]);
    }

    private async Task TallyAsync(TurnContext turn, Contest contest, CancellationToken cancellationToken)
    {
        var organizer = options.Value.IsOrganizer(turn.User);
        if (entries.Find(contest.Id)?.Settings.Voting.PublicTally != true && !organizer)
        {
            turn.Reply(texts.Get("voting.tally.hidden"), [Menu()]);
            return;
        }

        var tally = await voting.TallyAsync(contest.Id, cancellationToken).ConfigureAwait(false);
        var lines = tally.Rows.Select((r, i) => texts.Get("voting.tally.row", ("rank", i + 1), ("receipt", r.Receipt), ("title", r.Title), ("unit", r.Unit), ("votes", r.Votes))
            + (organizer && r.Burst ? texts.Get("voting.tally.burst", ("count", r.NewAccountVotes)) : string.Empty));
        turn.Reply(texts.Get("voting.tally.header", ("contest", contest.ShortName), ("total", tally.TotalVotes)) + "\n" + string.Join("\n", lines),
            [ReplyButton.Action(texts.Get("entries.button.vote"), "vote:" + contest.Id), Menu()]);
    }

    private ReplyButton Menu() => ReplyButton.Action(texts.Get("button.menu"), "menu");

    private string Moment(DateTimeOffset at) => ScheduleCalculator.Moment(at, texts);
}
