using CcBot.Core.Contests;

namespace CcBot.Core.Quiz;

public enum StartStatus
{
    Started,
    Resumed,
    NotOpenYet,
    Closed,
    NoWindow,
    LimitReached,
    NoQuestions,
}

public sealed record StartResult(StartStatus Status, QuizAttempt? Attempt = null, DateTimeOffset? At = null);

public enum AnswerStatus
{
    /// <summary>Counted (right or wrong).</summary>
    Accepted,
    /// <summary>Stored but not counted: the question's time had run out.</summary>
    Late,
    /// <summary>Ignored: the question was already answered or is not the current one.</summary>
    NotCurrent,
    /// <summary>Ignored: the attempt is over (finished or its time limit passed).</summary>
    Over,
}

public sealed record AnswerResult(AnswerStatus Status, QuizAttempt Attempt);

/// <summary>
/// Contest attempts with server-side timing: only inside the contest window, within the attempt limit, N random questions
/// with shuffled options, one answer per question, late answers not counted, abandoned attempts closed at their deadline.
/// </summary>
public sealed class ContestAttempts(IQuizStore store, QuestionBanks banks)
{
    public async Task<StartResult> StartAsync(Contest contest, QuizSettings settings, long userId, string fullName, string unit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetActiveAttemptAsync(contest.Id, userId, cancellationToken).ConfigureAwait(false) is { } active)
        {
            active = await CloseIfOverdueAsync(active, now, cancellationToken).ConfigureAwait(false);
            if (!active.IsOver)
            {
                return new StartResult(StartStatus.Resumed, active);
            }
        }

        if (contest.Opens?.At is not { } opens || contest.Closes?.At is not { } closes)
        {
            return new StartResult(StartStatus.NoWindow);
        }

        if (now < opens)
        {
            return new StartResult(StartStatus.NotOpenYet, At: opens);
        }

        if (now >= closes)
        {
            return new StartResult(StartStatus.Closed, At: closes);
        }

        if (await store.CountAttemptsAsync(contest.Id, userId, cancellationToken).ConfigureAwait(false) >= settings.AttemptLimit)
        {
            return new StartResult(StartStatus.LimitReached);
        }

        var bank = await banks.GetAsync(contest.Id, cancellationToken).ConfigureAwait(false);
        if (bank.Active.Count == 0)
        {
            return new StartResult(StartStatus.NoQuestions);
        }

        var drawn = Draw(bank.Active, settings.QuestionsPerAttempt);
        var deadline = now + TimeSpan.FromSeconds(settings.SecondsPerQuestion is { } q ? (long)q * drawn.Count : settings.SecondsPerAttempt);
        var attempt = new QuizAttempt
        {
            Id = Guid.NewGuid().ToString("N"),
            ContestId = contest.Id,
            UserId = userId,
            FullName = fullName,
            Unit = unit,
            Questions = drawn,
            StartedAt = now,
            DeadlineAt = deadline < closes ? deadline : closes,
            QuestionSeconds = settings.SecondsPerQuestion,
            CurrentShownAt = now,
        };
        var outcome = await store.StartAttemptAsync(attempt, settings.AttemptLimit, cancellationToken).ConfigureAwait(false);
        return outcome == StartOutcome.Started ? new StartResult(StartStatus.Started, attempt) : new StartResult(StartStatus.LimitReached);
    }

    /// <summary>Answers question <paramref name="index"/> with the options shown at <paramref name="shownLetters"/> (0 = first shown).</summary>
    public async Task<AnswerResult> AnswerAsync(string attemptId, int index, IReadOnlyCollection<int> shownLetters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempt = await store.GetAttemptAsync(attemptId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Unknown attempt {attemptId}.");
        return await AnswerAsync(attempt, index, shownLetters, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above, for an attempt the caller has just read.</summary>
    public async Task<AnswerResult> AnswerAsync(QuizAttempt attempt, int index, IReadOnlyCollection<int> shownLetters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        attempt = await CloseIfOverdueAsync(attempt, now, cancellationToken).ConfigureAwait(false);
        if (attempt.IsOver)
        {
            return new AnswerResult(AnswerStatus.Over, attempt);
        }

        if (index != attempt.CurrentIndex)
        {
            return new AnswerResult(AnswerStatus.NotCurrent, attempt);
        }

        var drawn = attempt.Questions[index];
        var bank = await banks.GetAsync(attempt.ContestId, cancellationToken).ConfigureAwait(false);
        var question = bank.ById[drawn.QuestionId];
        var chosen = shownLetters.Where(l => l >= 0 && l < drawn.Order.Count).Select(l => drawn.Order[l]).ToHashSet();
        var late = now > attempt.CurrentQuestionDeadline;
        var correct = !late && question.IsCorrect(chosen);
        var answer = new QuizAnswer(attempt.Id, index, drawn.QuestionId, string.Join(',', chosen.Order()), correct, late,
            now, (long)(now - attempt.CurrentShownAt).TotalMilliseconds);
        var last = index + 1 >= attempt.Questions.Count;
        long? duration = last ? (long)(now - attempt.StartedAt).TotalMilliseconds : null;
        if (!await store.RecordAnswerAsync(answer, index + 1, now, duration, cancellationToken).ConfigureAwait(false))
        {
            return new AnswerResult(AnswerStatus.NotCurrent, await store.GetAttemptAsync(attempt.Id, cancellationToken).ConfigureAwait(false) ?? attempt);
        }

        attempt = attempt with { CurrentIndex = index + 1, CurrentShownAt = now, CorrectCount = attempt.CorrectCount + (correct ? 1 : 0) };
        if (last)
        {
            attempt = attempt with { Status = AttemptStatus.Finished, FinishedAt = now, DurationMs = duration };
        }

        return new AnswerResult(late ? AnswerStatus.Late : AnswerStatus.Accepted, attempt);
    }

    /// <summary>Stores the prediction when it comes within the allowed time after the attempt closed.</summary>
    public async Task<bool> PredictAsync(QuizAttempt attempt, long prediction, QuizSettings settings, DateTimeOffset now, CancellationToken cancellationToken) =>
        attempt.FinishedAt is { } finished && now <= finished.AddSeconds(settings.PredictionSeconds) && prediction >= 0
        && await store.SetPredictionAsync(attempt.Id, prediction, cancellationToken).ConfigureAwait(false);

    /// <summary>An active attempt past its deadline is closed with the answers it has (time = the whole allowed time).</summary>
    public async Task<QuizAttempt> CloseIfOverdueAsync(QuizAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (attempt.IsOver || now < attempt.DeadlineAt)
        {
            return attempt;
        }

        var duration = (long)(attempt.DeadlineAt - attempt.StartedAt).TotalMilliseconds;
        await store.FinishAttemptAsync(attempt.Id, AttemptStatus.Expired, attempt.DeadlineAt, duration, cancellationToken).ConfigureAwait(false);
        return await store.GetAttemptAsync(attempt.Id, cancellationToken).ConfigureAwait(false) ?? attempt;
    }

    private static IReadOnlyList<DrawnQuestion> Draw(IReadOnlyList<QuizQuestion> bank, int count)
    {
        var picked = bank.ToArray();
        Random.Shared.Shuffle(picked);
        return picked.Take(Math.Min(count, picked.Length)).Select(q =>
        {
            var order = Enumerable.Range(0, q.Options.Count).ToArray();
            Random.Shared.Shuffle(order);
            return new DrawnQuestion(q.Id, order);
        }).ToArray();
    }
}
