using CcBot.Core.Activities;
using CcBot.Core.Contests;
using CcBot.Core.Dialogs;
using CcBot.Core.Participants;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;
using CcBot.Core.Time;

namespace CcBot.Core.Quiz;

/// <summary>
/// Quiz entry points: <c>quiz_start</c> (intent, /thi: the quiz menu), <c>quiz_practice</c>, <c>quiz_contest</c>,
/// <c>results</c> (intent "kết quả") and <c>leaderboard</c>; each takes an optional contest id argument.
/// </summary>
public sealed class QuizActions(
    ContestCatalog catalog,
    ContestContext context,
    QuizSettingsCatalog settings,
    ContestAttempts attempts,
    QuizResults results,
    DialogRunner dialogs,
    ITextCatalog texts) : IBotAction
{
    public IReadOnlyCollection<string> Names { get; } = ["quiz_start", "quiz_practice", "quiz_contest", "results", "leaderboard"];

    public async Task ExecuteAsync(TurnContext turn, string name, string? argument, CancellationToken cancellationToken)
    {
        var contest = Resolve(turn, argument);
        if (contest is null)
        {
            AskWhich(turn, name);
            return;
        }

        turn.State.ContestId = contest.Id;
        switch (name)
        {
            case "quiz_practice":
                await dialogs.BeginAsync(turn, PracticeDialog.DialogId, contest.Id, cancellationToken).ConfigureAwait(false);
                break;
            case "quiz_contest":
                await StartContestAsync(turn, contest, cancellationToken).ConfigureAwait(false);
                break;
            case "results":
                await results.ReplyMyResultsAsync(turn, contest.Id, cancellationToken).ConfigureAwait(false);
                break;
            case "leaderboard":
                await results.ReplyLeaderboardAsync(turn, contest.Id, cancellationToken).ConfigureAwait(false);
                break;
            default:
                Menu(turn, contest);
                break;
        }
    }

    private async Task StartContestAsync(TurnContext turn, Contest contest, CancellationToken cancellationToken)
    {
        var quiz = settings.Find(contest.Id)!;
        var user = turn.User;
        if (string.IsNullOrWhiteSpace(user.FullName) || string.IsNullOrWhiteSpace(user.Unit) || user.ConsentAt is null)
        {
            turn.Reply(texts.Get("quiz.contest.need_profile"));
            await dialogs.BeginAsync(turn, ParticipantDialog.DialogId, "all|" + contest.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        var started = await attempts.StartAsync(contest, quiz, user.Id, user.FullName, user.Unit, turn.Now, cancellationToken).ConfigureAwait(false);
        switch (started.Status)
        {
            case StartStatus.Started:
                turn.Reply(texts.Get(quiz.SecondsPerQuestion is not null ? "quiz.contest.rules_per_question" : "quiz.contest.rules_per_attempt",
                    ("count", started.Attempt!.Questions.Count), ("seconds", quiz.SecondsPerQuestion), ("minutes", Math.Round(quiz.SecondsPerAttempt / 60.0, 1)),
                    ("limit", quiz.AttemptLimit)));
                await dialogs.BeginAsync(turn, ContestAttemptDialog.DialogId, started.Attempt.Id, cancellationToken).ConfigureAwait(false);
                break;
            case StartStatus.Resumed:
                turn.Reply(texts.Get("quiz.contest.resumed"));
                await dialogs.BeginAsync(turn, ContestAttemptDialog.DialogId, started.Attempt!.Id, cancellationToken).ConfigureAwait(false);
                break;
            case StartStatus.NotOpenYet:
                turn.Reply(texts.Get("quiz.contest.not_open", ("moment", Moment(started.At!.Value))), PracticeButtons(contest));
                break;
            case StartStatus.Closed:
                turn.Reply(texts.Get("quiz.contest.closed", ("moment", Moment(started.At!.Value))), PracticeButtons(contest));
                break;
            case StartStatus.NoWindow:
                turn.Reply(texts.Get("quiz.contest.no_window"), PracticeButtons(contest));
                break;
            case StartStatus.LimitReached:
                turn.Reply(texts.Get("quiz.contest.limit", ("limit", quiz.AttemptLimit)),
                    [ReplyButton.Action(texts.Get("quiz.button.results"), "results:" + contest.Id), ReplyButton.Action(texts.Get("quiz.button.practice"), "quiz_practice:" + contest.Id)]);
                break;
            default:
                turn.Reply(texts.Get("quiz.no_questions"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
                break;
        }
    }

    private void Menu(TurnContext turn, Contest contest) =>
        turn.Reply(texts.Get("quiz.menu", ("contest", contest.ShortName)),
        [
            ReplyButton.Action(texts.Get("quiz.button.practice"), "quiz_practice:" + contest.Id),
            ReplyButton.Action(texts.Get("quiz.button.contest"), "quiz_contest:" + contest.Id),
            ReplyButton.Action(texts.Get("quiz.button.results"), "results:" + contest.Id),
            ReplyButton.Action(texts.Get("quiz.button.leaderboard"), "leaderboard:" + contest.Id),
            ReplyButton.Action(texts.Get("quiz.button.profile"), "profile:" + contest.Id),
        ]);

    private List<ReplyButton> PracticeButtons(Contest contest) =>
        [ReplyButton.Action(texts.Get("quiz.button.practice"), "quiz_practice:" + contest.Id), ReplyButton.Action(texts.Get("button.menu"), "menu")];

    /// <summary>The contest named by the argument, else the conversation's; only contests with quiz settings count.</summary>
    private Contest? Resolve(TurnContext turn, string? argument)
    {
        if (argument is { Length: > 0 } && catalog.Find(argument) is { } named && settings.Find(named.Id) is not null)
        {
            return named;
        }

        if (context.Current(turn) is { } current && settings.Find(current.Id) is not null)
        {
            return current;
        }

        var withQuiz = catalog.Contests.Where(c => settings.Find(c.Id) is not null).ToList();
        return withQuiz.Count == 1 ? withQuiz[0] : null;
    }

    private void AskWhich(TurnContext turn, string action)
    {
        var buttons = catalog.Contests.Where(c => settings.Find(c.Id) is not null)
            .Select(c => ReplyButton.Action(c.ShortName, action + ":" + c.Id)).ToList();
        if (buttons.Count == 0)
        {
            turn.Reply(texts.Get("quiz.none"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        turn.Reply(texts.Get("quiz.choose_contest"), buttons);
    }

    private string Moment(DateTimeOffset at)
    {
        var local = VietnamTime.ToVietnam(at);
        return texts.Get("quiz.moment",
            ("clock", local.ToString("HH'h'mm", System.Globalization.CultureInfo.InvariantCulture)),
            ("date", local.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>Copies a participant's corrected name and unit onto their attempts in the contest, so reports show the correction.</summary>
public sealed class QuizParticipantSync(IQuizStore store) : IParticipantChangeListener
{
    public Task OnChangedAsync(string? contestId, UserProfile user, CancellationToken cancellationToken) =>
        contestId is null || user.FullName is null || user.Unit is null
            ? Task.CompletedTask
            : store.UpdateParticipantAsync(contestId, user.Id, user.FullName, user.Unit, cancellationToken);
}
