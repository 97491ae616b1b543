using System.Globalization;
using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Pipeline;
using CcBot.Core.Text;

namespace CcBot.Core.Quiz;

/// <summary>Score, time and rank messages: at the end of an attempt, on "kết quả", and the leaderboard.</summary>
public sealed class QuizResults(IQuizStore store, QuizSettingsCatalog settings, ITextCatalog texts)
{
    public async Task ReplyAttemptResultAsync(TurnContext turn, QuizAttempt attempt, CancellationToken cancellationToken)
    {
        var standing = await store.GetStandingAsync(attempt.ContestId, attempt.UserId, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder(texts.Get(attempt.Status == AttemptStatus.Expired ? "quiz.result.expired" : "quiz.result.finished"));
        sb.Append('\n').Append(texts.Get("quiz.result.score", ("correct", attempt.CorrectCount), ("total", attempt.Questions.Count)));
        sb.Append('\n').Append(texts.Get("quiz.result.time", ("time", QuizRendering.Duration(texts, attempt.DurationMs ?? 0))));
        if (standing is not null)
        {
            sb.Append('\n').Append(texts.Get("quiz.result.rank", ("rank", standing.Rank)));
        }

        turn.Reply(sb.ToString(), Buttons(attempt.ContestId));
    }

    /// <summary>"kết quả": every attempt of the participant in the contest, and their place.</summary>
    public async Task ReplyMyResultsAsync(TurnContext turn, string contestId, CancellationToken cancellationToken)
    {
        await store.ExpireOverdueAsync(contestId, turn.Now, cancellationToken).ConfigureAwait(false);
        var attempts = await store.GetAttemptsAsync(contestId, turn.User.Id, cancellationToken).ConfigureAwait(false);
        if (attempts.Count == 0)
        {
            turn.Reply(texts.Get("quiz.results.none"), [ReplyButton.Action(texts.Get("quiz.button.contest"), "quiz_contest:" + contestId), ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        var sb = new StringBuilder(texts.Get("quiz.results.header"));
        var n = 0;
        foreach (var a in attempts)
        {
            n++;
            sb.Append('\n').Append(a.IsOver
                ? texts.Get("quiz.results.line", ("n", n), ("correct", a.CorrectCount), ("total", a.Questions.Count), ("time", QuizRendering.Duration(texts, a.DurationMs ?? 0)))
                : texts.Get("quiz.results.line_active", ("n", n)));
        }

        var standing = await store.GetStandingAsync(contestId, turn.User.Id, cancellationToken).ConfigureAwait(false);
        if (standing is not null)
        {
            sb.Append('\n').Append(texts.Get("quiz.result.rank", ("rank", standing.Rank)));
        }

        turn.Reply(sb.ToString(), Buttons(contestId));
    }

    public async Task ReplyLeaderboardAsync(TurnContext turn, string contestId, CancellationToken cancellationToken)
    {
        await store.ExpireOverdueAsync(contestId, turn.Now, cancellationToken).ConfigureAwait(false);
        var size = settings.Find(contestId)?.LeaderboardSize ?? 10;
        var top = await store.GetLeaderboardAsync(contestId, size, cancellationToken).ConfigureAwait(false);
        if (top.Count == 0)
        {
            turn.Reply(texts.Get("quiz.leaderboard.empty"), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
            return;
        }

        var sb = new StringBuilder(texts.Get("quiz.leaderboard.header", ("count", top.Count)));
        foreach (var s in top)
        {
            sb.Append('\n').Append(Line(s));
        }

        var mine = await store.GetStandingAsync(contestId, turn.User.Id, cancellationToken).ConfigureAwait(false);
        sb.Append('\n').Append(mine is null ? texts.Get("quiz.leaderboard.you_none") : texts.Get("quiz.leaderboard.you", ("line", Line(mine))));
        turn.Reply(sb.ToString(), [ReplyButton.Action(texts.Get("button.menu"), "menu")]);
    }

    private string Line(Standing s) => texts.Get("quiz.leaderboard.line",
        ("rank", s.Rank.ToString(CultureInfo.InvariantCulture)), ("name", s.FullName), ("unit", s.Unit),
        ("correct", s.Correct), ("total", s.Total), ("time", QuizRendering.Duration(texts, s.DurationMs)));

    private List<ReplyButton> Buttons(string contestId) =>
    [
        ReplyButton.Action(texts.Get("quiz.button.leaderboard"), "leaderboard:" + contestId),
        ReplyButton.Action(texts.Get("helpdesk.button_dispute"), "dispute:" + contestId),
        ReplyButton.Action(texts.Get("button.menu"), "menu"),
    ];
}
