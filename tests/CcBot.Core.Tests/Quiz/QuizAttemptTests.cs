using CcBot.Core.Quiz;
using CcBot.Core.Time;

namespace CcBot.Core.Tests.Quiz;

/// <summary>Run against both storage providers (see the <c>On...</c> classes at the end).</summary>
public abstract class QuizAttemptTests(string provider)
{
    [Fact]
    public async Task An_attempt_draws_n_questions_with_shuffled_options_and_no_feedback_is_stored_until_the_end()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var started = await f.StartAsync(1);

        started.Status.Should().Be(StartStatus.Started);
        var attempt = started.Attempt!;
        attempt.Questions.Should().HaveCount(5);
        attempt.Questions.Select(q => q.QuestionId).Should().OnlyHaveUniqueItems();
        attempt.DeadlineAt.Should().Be(attempt.StartedAt.AddSeconds(150));

        var resumed = await f.StartAsync(1);
        resumed.Status.Should().Be(StartStatus.Resumed);
        resumed.Attempt!.Id.Should().Be(attempt.Id);
    }

    [Fact]
    public async Task A_late_answer_does_not_count_when_the_clock_passes_the_question_limit()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var attempt = (await f.StartAsync(1)).Attempt!;

        f.Clock.Advance(TimeSpan.FromSeconds(29));
        (await f.AnswerAsync(attempt, 0, right: true)).Status.Should().Be(AnswerStatus.Accepted);
        f.Clock.Advance(TimeSpan.FromSeconds(31));
        var late = await f.AnswerAsync(attempt, 1, right: true);

        late.Status.Should().Be(AnswerStatus.Late);
        late.Attempt.CorrectCount.Should().Be(1);
        late.Attempt.CurrentIndex.Should().Be(2);
        f.Count("SELECT COUNT(*) FROM quiz_answers WHERE late AND NOT correct").Should().Be(1);
        (await f.Store.GetAttemptAsync(attempt.Id, CancellationToken.None))!.CorrectCount.Should().Be(1);
    }

    [Fact]
    public async Task An_answer_after_the_attempt_deadline_is_refused_and_an_abandoned_attempt_expires()
    {
        await using var f = await QuizFixture.CreateAsync(provider, new QuizSettings { QuestionsPerAttempt = 5, SecondsPerAttempt = 60 });
        var attempt = (await f.StartAsync(1)).Attempt!;
        f.Clock.Advance(TimeSpan.FromSeconds(10));
        await f.AnswerAsync(attempt, 0, right: true);

        f.Clock.Advance(TimeSpan.FromSeconds(51));
        var over = await f.AnswerAsync(attempt, 1, right: true);

        over.Status.Should().Be(AnswerStatus.Over);
        over.Attempt.Status.Should().Be(AttemptStatus.Expired);
        over.Attempt.CorrectCount.Should().Be(1);
        over.Attempt.DurationMs.Should().Be(60_000);

        var abandoned = (await f.StartAsync(2)).Attempt!;
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        (await f.Store.ExpireOverdueAsync(QuizFixture.ContestId, f.Clock.GetUtcNow(), CancellationToken.None)).Should().Be(1);
        (await f.Store.GetAttemptAsync(abandoned.Id, CancellationToken.None))!.Status.Should().Be(AttemptStatus.Expired);
    }

    [Fact]
    public async Task A_double_answer_a_replayed_button_and_an_answer_to_another_question_are_ignored()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var attempt = (await f.StartAsync(1)).Attempt!;
        f.Clock.Advance(TimeSpan.FromSeconds(2));

        (await f.AnswerAsync(attempt, 0, right: false)).Status.Should().Be(AnswerStatus.Accepted);
        (await f.AnswerAsync(attempt, 0, right: true)).Status.Should().Be(AnswerStatus.NotCurrent);
        (await f.AnswerAsync(attempt, 3, right: true)).Status.Should().Be(AnswerStatus.NotCurrent);
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => f.AnswerAsync(attempt, 1, right: true)));
        parallel.Count(r => r.Status == AnswerStatus.Accepted).Should().Be(1);

        f.Count("SELECT COUNT(*) FROM quiz_answers").Should().Be(2);
        var stored = (await f.Store.GetAttemptAsync(attempt.Id, CancellationToken.None))!;
        stored.CorrectCount.Should().Be(1);
        stored.CurrentIndex.Should().Be(2);
    }

    [Fact]
    public async Task The_attempt_limit_and_the_contest_window_are_enforced()
    {
        await using var f = await QuizFixture.CreateAsync(provider, new QuizSettings { QuestionsPerAttempt = 2, SecondsPerQuestion = 30, AttemptLimit = 2 });
        await f.CompleteAsync(1, 2, 1);
        await f.CompleteAsync(1, 1, 1);

        (await f.StartAsync(1)).Status.Should().Be(StartStatus.LimitReached);
        (await f.StartAsync(2)).Status.Should().Be(StartStatus.Started);

        f.Clock.UtcNow = VietnamTime.At(2024, 11, 18, 7, 29);
        (await f.StartAsync(3)).Status.Should().Be(StartStatus.NotOpenYet);
        f.Clock.UtcNow = VietnamTime.At(2024, 12, 13, 16, 30);
        var closed = await f.StartAsync(3);
        closed.Status.Should().Be(StartStatus.Closed);
        closed.At.Should().Be(VietnamTime.At(2024, 12, 13, 16, 30));
    }

    [Fact]
    public async Task An_attempt_started_near_the_close_ends_at_the_close()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        f.Clock.UtcNow = VietnamTime.At(2024, 12, 13, 16, 29);
        var attempt = (await f.StartAsync(1)).Attempt!;
        attempt.DeadlineAt.Should().Be(VietnamTime.At(2024, 12, 13, 16, 30));
    }

    [Fact]
    public async Task Ranking_is_most_correct_then_least_time_then_closest_prediction_with_shared_ranks_for_full_ties()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var settings = f.Settings;
        var a = await f.CompleteAsync(1, 4, 10);   // 4 right, 50 s
        var b = await f.CompleteAsync(2, 4, 10);   // 4 right, 50 s, best prediction
        var c = await f.CompleteAsync(3, 4, 10);   // 4 right, 50 s, same prediction distance as d
        var d = await f.CompleteAsync(4, 4, 10);
        var e = await f.CompleteAsync(5, 5, 12);   // 5 right, slower: still first
        var g = await f.CompleteAsync(6, 4, 9);    // 4 right, 45 s: before the 50 s group
        // 6 participants: b guesses 6 (exact), c and d guess 10 and 2 (both 4 away), a guesses nothing.
        (await f.Attempts.PredictAsync(b, 6, settings, f.Clock.GetUtcNow(), CancellationToken.None)).Should().BeTrue();
        (await f.Attempts.PredictAsync(c, 10, settings, f.Clock.GetUtcNow(), CancellationToken.None)).Should().BeTrue();
        (await f.Attempts.PredictAsync(d, 2, settings, f.Clock.GetUtcNow(), CancellationToken.None)).Should().BeTrue();
        (await f.Attempts.PredictAsync(d, 6, settings, f.Clock.GetUtcNow(), CancellationToken.None)).Should().BeFalse("a prediction is stored once");

        var board = await f.Store.GetLeaderboardAsync(QuizFixture.ContestId, 10, CancellationToken.None);

        board.Select(s => (s.UserId, s.Rank)).Should().Equal((5L, 1), (6L, 2), (2L, 3), (3L, 4), (4L, 4), (1L, 6));
        foreach (var s in board)
        {
            (await f.Store.GetStandingAsync(QuizFixture.ContestId, s.UserId, CancellationToken.None))!.Rank.Should().Be(s.Rank, "user {0}", s.UserId);
        }

        board[0].DurationMs.Should().Be(60_000);
        (await f.Store.GetLeaderboardAsync(QuizFixture.ContestId, 2, CancellationToken.None)).Should().HaveCount(2);
        _ = a;
        _ = e;
        _ = g;
    }

    [Fact]
    public async Task A_participant_is_ranked_by_their_best_attempt()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        await f.CompleteAsync(1, 5, 5);
        await f.CompleteAsync(1, 1, 1);
        await f.CompleteAsync(2, 3, 1);

        var board = await f.Store.GetLeaderboardAsync(QuizFixture.ContestId, 10, CancellationToken.None);

        board.Select(s => (s.UserId, s.Correct)).Should().Equal((1L, 5), (2L, 3));
    }

    [Fact]
    public async Task A_prediction_after_its_time_window_is_not_stored()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var done = await f.CompleteAsync(1, 5, 1);
        f.Clock.Advance(TimeSpan.FromSeconds(f.Settings.PredictionSeconds + 1));
        (await f.Attempts.PredictAsync(done, 100, f.Settings, f.Clock.GetUtcNow(), CancellationToken.None)).Should().BeFalse();
    }
}

public sealed class QuizAttemptOnSqlite() : QuizAttemptTests("sqlite");

public sealed class QuizAttemptOnPostgres() : QuizAttemptTests("postgres");
