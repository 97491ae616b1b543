using CcBot.Core.Quiz;

namespace CcBot.Core.Tests.Quiz;

/// <summary>
/// The <see cref="IQuizStore"/> contract, run against SQLite and PostgreSQL: every method, and the guarantees that must
/// hold when several instances write at once (attempt limit, one answer per question, one active bank).
/// </summary>
public abstract class QuizStoreContractTests(string provider)
{
    private const string Contest = QuizFixture.ContestId;
    private const string OtherContest = "bac-giang-2020";
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_732_068_000_123);
    private static readonly CancellationToken None = CancellationToken.None;

    private static QuizAttempt NewAttempt(string id, long user, DateTimeOffset start, string contest = Contest, string name = "Người", int questions = 3) => new()
    {
        Id = id,
        ContestId = contest,
        UserId = user,
        FullName = name,
        Unit = "Văn phòng Sở",
        Questions = Enumerable.Range(1, questions).Select(i => new DrawnQuestion(i, [2, 0, 3, 1])).ToArray(),
        StartedAt = start,
        DeadlineAt = start.AddMinutes(5),
        QuestionSeconds = 30,
        CurrentShownAt = start,
    };

    private static QuizAnswer Answer(string attemptId, int index, bool correct, DateTimeOffset at) =>
        new(attemptId, index, index + 1, correct ? "A" : "B,C", correct, !correct, at, 1_500 + index);

    /// <summary>Starts and answers a whole attempt: the first <paramref name="correct"/> answers are right; closes it after <paramref name="durationMs"/>.</summary>
    private static async Task<QuizAttempt> RunAsync(IQuizStore store, string id, long user, int correct, long durationMs, string name = "Người")
    {
        var attempt = NewAttempt(id, user, T0, name: name);
        (await store.StartAttemptAsync(attempt, 10, None)).Should().Be(StartOutcome.Started);
        for (var i = 0; i < attempt.Questions.Count; i++)
        {
            var last = i == attempt.Questions.Count - 1;
            (await store.RecordAnswerAsync(Answer(id, i, i < correct, T0.AddSeconds(i + 1)), i + 1, T0.AddMilliseconds(last ? durationMs : (i + 1) * 1000), last ? durationMs : null, None))
                .Should().BeTrue();
        }

        return (await store.GetAttemptAsync(id, None))!;
    }

    [Fact]
    public async Task A_new_bank_retires_the_old_questions_which_stay_readable()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var store = f.Store;
        await store.ReplaceBankAsync(Contest,
        [
            new QuizQuestion(0, Contest, "Câu \"một\", có dấu phẩy?", ["Đúng, hẳn", "Sai"], [0], "Vì vậy", "Chủ đề", "Nghị định 61/2018/NĐ-CP"),
            new QuizQuestion(0, Contest, "Câu hai?", ["A", "B", "C"], [0, 2], null, null, "Nghị quyết 76/NQ-CP"),
        ], T0, None);
        (await store.ReplaceBankAsync(Contest, [new QuizQuestion(0, Contest, "Câu mới?", ["X", "Y"], [1], null, "Mới", "Luật")], T0.AddDays(1), None)).Should().Be(1);
        await store.ReplaceBankAsync(OtherContest, [new QuizQuestion(0, OtherContest, "Khác?", ["X", "Y"], [0], null, null, "Luật")], T0, None);

        var active = await store.GetQuestionsAsync(Contest, activeOnly: true, None);
        active.Should().ContainSingle().Which.Text.Should().Be("Câu mới?");
        var all = await store.GetQuestionsAsync(Contest, activeOnly: false, None);
        all.Select(q => q.Text).Should().Equal("Câu \"một\", có dấu phẩy?", "Câu hai?", "Câu mới?");
        all.Select(q => q.Id).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        all[0].Should().BeEquivalentTo(new { ContestId = Contest, Options = new[] { "Đúng, hẳn", "Sai" }, Correct = new[] { 0 }, Explanation = "Vì vậy", Topic = "Chủ đề", Source = "Nghị định 61/2018/NĐ-CP" });
        all[1].Should().BeEquivalentTo(new { Correct = new[] { 0, 2 }, Explanation = (string?)null, Topic = (string?)null });
    }

    [Fact]
    public async Task Banks_replaced_at_the_same_time_leave_exactly_one_bank_active()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(b => Task.Run(() => f.Store.ReplaceBankAsync(Contest,
            Enumerable.Range(1, 3).Select(i => new QuizQuestion(0, Contest, $"Bộ {b} câu {i}?", ["X", "Y"], [0], null, null, "Luật")).ToList(), T0, None))));

        var active = await f.Store.GetQuestionsAsync(Contest, activeOnly: true, None);
        active.Should().HaveCount(3);
        active.Select(q => q.Text[..q.Text.IndexOf(" câu", StringComparison.Ordinal)]).Distinct().Should().ContainSingle();
        (await f.Store.GetQuestionsAsync(Contest, activeOnly: false, None)).Should().HaveCount(24);
    }

    [Fact]
    public async Task Twenty_starts_at_once_by_one_participant_stop_at_the_attempt_limit()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            f.Store.StartAttemptAsync(NewAttempt("a" + i, 7, T0.AddMilliseconds(i)), 3, None))));

        outcomes.Count(o => o == StartOutcome.Started).Should().Be(3);
        outcomes.Count(o => o == StartOutcome.LimitReached).Should().Be(17);
        (await f.Store.CountAttemptsAsync(Contest, 7, None)).Should().Be(3);
        (await f.Store.GetAttemptsAsync(Contest, 7, None)).Should().HaveCount(3);
        (await f.Store.StartAttemptAsync(NewAttempt("other-user", 8, T0), 3, None)).Should().Be(StartOutcome.Started);
        (await f.Store.StartAttemptAsync(NewAttempt("other-contest", 7, T0, OtherContest), 3, None)).Should().Be(StartOutcome.Started);
    }

    [Fact]
    public async Task An_answer_sent_twenty_times_at_once_moves_the_attempt_once_and_the_last_one_finishes_it()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var started = NewAttempt("att", 1, T0, questions: 2);
        await f.Store.StartAttemptAsync(started, 3, None);
        var stored = (await f.Store.GetAttemptAsync("att", None))!;
        stored.Should().BeEquivalentTo(started with { Status = AttemptStatus.Active });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            f.Store.RecordAnswerAsync(Answer("att", 0, true, T0.AddSeconds(3)), 1, T0.AddSeconds(4), null, None))));
        results.Count(r => r).Should().Be(1);
        var moved = (await f.Store.GetAttemptAsync("att", None))!;
        (moved.CurrentIndex, moved.CorrectCount, moved.CurrentShownAt, moved.Status).Should().Be((1, 1, T0.AddSeconds(4), AttemptStatus.Active));

        (await f.Store.RecordAnswerAsync(Answer("att", 0, true, T0.AddSeconds(5)), 1, T0.AddSeconds(5), null, None)).Should().BeFalse("question 0 is no longer the current one");
        (await f.Store.RecordAnswerAsync(Answer("att", 1, false, T0.AddSeconds(9)), 2, T0.AddSeconds(9), 9_000, None)).Should().BeTrue();
        var done = (await f.Store.GetAttemptAsync("att", None))!;
        done.Should().BeEquivalentTo(new { Status = AttemptStatus.Finished, FinishedAt = T0.AddSeconds(9), DurationMs = 9_000L, CorrectCount = 1, CurrentIndex = 2 });
        (await f.Store.GetActiveAttemptAsync(Contest, 1, None)).Should().BeNull();

        var answers = await f.Store.GetAnswersAsync("att", None);
        answers.Should().Equal(Answer("att", 0, true, T0.AddSeconds(3)), Answer("att", 1, false, T0.AddSeconds(9)));
        (await f.Store.RecordAnswerAsync(Answer("att", 2, true, T0.AddSeconds(10)), 3, T0.AddSeconds(10), null, None)).Should().BeFalse("the attempt is closed");
    }

    [Fact]
    public async Task Closing_predicting_and_expiring_change_an_attempt_once()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var store = f.Store;
        await store.StartAttemptAsync(NewAttempt("closed", 1, T0), 3, None);
        (await store.SetPredictionAsync("closed", 12, None)).Should().BeFalse("a prediction comes after the attempt");
        (await store.FinishAttemptAsync("closed", AttemptStatus.Finished, T0.AddSeconds(40), 40_000, None)).Should().BeTrue();
        (await store.FinishAttemptAsync("closed", AttemptStatus.Expired, T0.AddSeconds(50), 50_000, None)).Should().BeFalse();
        (await store.SetPredictionAsync("closed", 12, None)).Should().BeTrue();
        (await store.SetPredictionAsync("closed", 13, None)).Should().BeFalse();
        var closed = (await store.GetAttemptAsync("closed", None))!;
        closed.Should().BeEquivalentTo(new { Status = AttemptStatus.Finished, FinishedAt = T0.AddSeconds(40), DurationMs = 40_000L, Prediction = 12L });

        await store.StartAttemptAsync(NewAttempt("overdue", 2, T0), 3, None);
        await store.StartAttemptAsync(NewAttempt("elsewhere", 2, T0, OtherContest), 3, None);
        await store.StartAttemptAsync(NewAttempt("running", 3, T0.AddMinutes(4)), 3, None);
        var now = T0.AddMinutes(6);
        (await store.ExpireOverdueAsync(Contest, now, None)).Should().Be(1);
        var expired = (await store.GetAttemptAsync("overdue", None))!;
        expired.Should().BeEquivalentTo(new { Status = AttemptStatus.Expired, FinishedAt = T0.AddMinutes(5), DurationMs = 300_000L });
        (await store.GetAttemptAsync("elsewhere", None))!.Status.Should().Be(AttemptStatus.Active);
        (await store.ExpireOverdueAsync(null, now, None)).Should().Be(1);
        (await store.GetAttemptAsync("elsewhere", None))!.Status.Should().Be(AttemptStatus.Expired);
        (await store.GetActiveAttemptAsync(Contest, 3, None))!.Id.Should().Be("running");
        (await store.GetAttemptAsync("missing", None)).Should().BeNull();
    }

    [Fact]
    public async Task A_corrected_name_and_unit_reach_all_of_the_participants_attempts_in_the_contest_only()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var store = f.Store;
        await store.StartAttemptAsync(NewAttempt("b", 1, T0.AddSeconds(1)), 3, None);
        await store.StartAttemptAsync(NewAttempt("a", 1, T0.AddSeconds(1)), 3, None);
        await store.StartAttemptAsync(NewAttempt("c", 1, T0), 3, None);
        await store.StartAttemptAsync(NewAttempt("d", 2, T0.AddSeconds(2)), 3, None);
        await store.StartAttemptAsync(NewAttempt("e", 1, T0, OtherContest), 3, None);

        await store.UpdateParticipantAsync(Contest, 1, "Nguyễn Văn An", "Phòng Quản lý thể thao", None);

        var mine = await store.GetAttemptsAsync(Contest, 1, None);
        mine.Select(a => a.Id).Should().Equal("c", "a", "b");
        mine.Should().OnlyContain(a => a.FullName == "Nguyễn Văn An" && a.Unit == "Phòng Quản lý thể thao");
        (await store.GetAttemptsAsync(Contest, null, None)).Select(a => a.Id).Should().Equal("c", "a", "b", "d");
        (await store.GetAttemptAsync("d", None))!.FullName.Should().Be("Người");
        (await store.GetAttemptAsync("e", None))!.FullName.Should().Be("Người");
        (await store.GetActiveAttemptAsync(Contest, 1, None))!.StartedAt.Should().Be(T0.AddSeconds(1));
    }

    [Fact]
    public async Task Full_ties_share_a_rank_and_are_listed_by_name_in_code_point_order()
    {
        await using var f = await QuizFixture.CreateAsync(provider);
        var store = f.Store;
        await RunAsync(store, "best", 1, 3, 30_000, "Zung");
        await RunAsync(store, "t1", 2, 2, 30_000, "Bình");
        await RunAsync(store, "t2", 3, 2, 30_000, "Ánh");
        await RunAsync(store, "t3", 4, 2, 30_000, "An");
        await RunAsync(store, "worse", 2, 1, 10_000, "Bình");
        await RunAsync(store, "slow", 5, 2, 31_000, "Ân");
        await store.StartAttemptAsync(NewAttempt("running", 6, T0), 10, None);

        var board = await store.GetLeaderboardAsync(Contest, 10, None);

        board.Select(s => (s.UserId, s.Rank)).Should().Equal((1L, 1), (4L, 2), (2L, 2), (3L, 2), (5L, 5));
        board[1].Should().Be(new Standing(2, 4, "An", "Văn phòng Sở", 2, 3, 30_000, null, "t3"));
        foreach (var s in board)
        {
            (await store.GetStandingAsync(Contest, s.UserId, None)).Should().Be(s);
        }

        (await store.GetStandingAsync(Contest, 6, None)).Should().BeNull("a running attempt is not ranked");
        (await store.GetLeaderboardAsync(Contest, 2, None)).Should().HaveCount(2);
        (await store.GetLeaderboardAsync(OtherContest, 10, None)).Should().BeEmpty();
    }
}

public sealed class QuizStoreContractOnSqlite() : QuizStoreContractTests("sqlite");

public sealed class QuizStoreContractOnPostgres() : QuizStoreContractTests("postgres");
