using System.Globalization;
using System.Text.Json;
using CcBot.Core.Storage.Postgres;
using Npgsql;
using static CcBot.Core.Storage.Postgres.PgCommands;
using static CcBot.Core.Quiz.QuizRows;

namespace CcBot.Core.Quiz;

/// <summary>
/// The quiz store on the shared PostgreSQL database. Several instances may write at once: a contest's bank is replaced
/// and a participant's attempts are counted under a transaction-scoped advisory lock, and an answer moves the attempt
/// only while its question is still the current one (a single conditional statement), as on SQLite.
/// </summary>
public sealed class PostgresQuizStore(PostgresDatabase db) : IQuizStore
{
    private const string Closed = "status IN ('finished', 'expired')";

    public Task<int> ReplaceBankAsync(string contestId, IReadOnlyList<QuizQuestion> questions, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (conn, tx) =>
        {
            // Two imports of the same contest at once: the second waits, retires the first's bank, and only its own stays active.
            await LockAsync(conn, tx, "quiz_bank:" + contestId, cancellationToken).ConfigureAwait(false);
            await ExecAsync(conn, tx, "UPDATE quiz_questions SET active = false WHERE contest_id = @c AND active", cancellationToken, ("c", contestId)).ConfigureAwait(false);
            if (questions.Count > 0)
            {
                await ExecAsync(conn, tx, """
                    INSERT INTO quiz_questions(contest_id, text, options, correct, explanation, topic, source, active, imported_at)
                    SELECT @c, t, o, k, e, p, s, true, @at
                    FROM unnest(@t::text[], @o::text[], @k::text[], @e::text[], @p::text[], @s::text[]) WITH ORDINALITY AS q(t, o, k, e, p, s, n)
                    ORDER BY n
                    """, cancellationToken,
                    ("c", contestId),
                    ("at", at.ToUnixTimeMilliseconds()),
                    ("t", questions.Select(q => q.Text).ToArray()),
                    ("o", questions.Select(q => JsonSerializer.Serialize(q.Options)).ToArray()),
                    ("k", questions.Select(q => string.Join(',', q.Correct)).ToArray()),
                    ("e", questions.Select(q => q.Explanation).ToArray()),
                    ("p", questions.Select(q => q.Topic).ToArray()),
                    ("s", questions.Select(q => q.Source).ToArray())).ConfigureAwait(false);
            }

            return questions.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<QuizQuestion>> GetQuestionsAsync(string contestId, bool activeOnly, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            "SELECT id, contest_id, text, options, correct, explanation, topic, source FROM quiz_questions WHERE contest_id = @c" + (activeOnly ? " AND active" : string.Empty) + " ORDER BY id",
            ("c", contestId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<QuizQuestion>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new QuizQuestion(
                r.GetInt64(0), r.GetString(1), r.GetString(2),
                JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? [],
                r.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)));
        }

        return list;
    }

    public Task<StartOutcome> StartAttemptAsync(QuizAttempt attempt, int attemptLimit, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (conn, tx) =>
        {
            // The count and the insert run under the participant's lock, so two instances cannot both take the last attempt.
            await LockAsync(conn, tx, $"quiz_attempts:{attempt.ContestId}:{attempt.UserId}", cancellationToken).ConfigureAwait(false);
            var count = await ScalarAsync(conn, tx, "SELECT COUNT(*) FROM quiz_attempts WHERE contest_id = @c AND user_id = @u", cancellationToken,
                ("c", attempt.ContestId), ("u", attempt.UserId)).ConfigureAwait(false);
            if (count >= attemptLimit)
            {
                return StartOutcome.LimitReached;
            }

            await ExecAsync(conn, tx, """
                INSERT INTO quiz_attempts(id, contest_id, user_id, full_name, unit, questions, question_count, started_at, deadline_at, question_seconds, current_index, current_shown_at, correct, status)
                VALUES (@id, @c, @u, @n, @unit, @q, @qc, @s, @d, @qs, 0, @s, 0, 'active')
                """, cancellationToken,
                ("id", attempt.Id),
                ("c", attempt.ContestId),
                ("u", attempt.UserId),
                ("n", attempt.FullName),
                ("unit", attempt.Unit),
                ("q", DrawnQuestion.EncodeAll(attempt.Questions)),
                ("qc", attempt.Questions.Count),
                ("s", attempt.StartedAt.ToUnixTimeMilliseconds()),
                ("d", attempt.DeadlineAt.ToUnixTimeMilliseconds()),
                ("qs", attempt.QuestionSeconds)).ConfigureAwait(false);
            return StartOutcome.Started;
        }, cancellationToken);

    public async Task<int> CountAttemptsAsync(string contestId, long userId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (int)await ScalarAsync(conn, null, "SELECT COUNT(*) FROM quiz_attempts WHERE contest_id = @c AND user_id = @u", cancellationToken,
            ("c", contestId), ("u", userId)).ConfigureAwait(false);
    }

    public async Task<QuizAttempt?> GetActiveAttemptAsync(string contestId, long userId, CancellationToken cancellationToken) =>
        (await ReadAttemptsAsync($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = @c AND user_id = @u AND status = 'active' ORDER BY started_at DESC LIMIT 1", cancellationToken,
            ("c", contestId), ("u", userId)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<QuizAttempt?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken) =>
        (await ReadAttemptsAsync($"SELECT {AttemptColumns} FROM quiz_attempts WHERE id = @id", cancellationToken, ("id", attemptId)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<bool> RecordAnswerAsync(QuizAnswer answer, int nextIndex, DateTimeOffset nextShownAt, long? finishDurationMs, CancellationToken cancellationToken)
    {
        // One statement: the answer is stored only when the attempt moved. A concurrent answer to the same question waits for
        // the row lock, then finds current_index changed and moves nothing.
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stored = await ExecAsync(conn, null, """
            WITH moved AS (
                UPDATE quiz_attempts SET current_index = @next, current_shown_at = @shown, correct = correct + @ok,
                    status = CASE WHEN @dur::bigint IS NULL THEN status ELSE 'finished' END,
                    finished_at = CASE WHEN @dur::bigint IS NULL THEN finished_at ELSE @shown END,
                    duration_ms = COALESCE(@dur::bigint, duration_ms)
                WHERE id = @id AND status = 'active' AND current_index = @idx
                RETURNING id)
            INSERT INTO quiz_answers(attempt_id, idx, question_id, chosen, correct, late, answered_at, elapsed_ms)
            SELECT id, @idx, @q, @ch, @right, @late, @at, @el FROM moved
            """, cancellationToken,
            ("dur", finishDurationMs),
            ("next", nextIndex),
            ("shown", nextShownAt.ToUnixTimeMilliseconds()),
            ("ok", answer.Correct ? 1 : 0),
            ("id", answer.AttemptId),
            ("idx", answer.Index),
            ("q", answer.QuestionId),
            ("ch", answer.Chosen),
            ("right", answer.Correct),
            ("late", answer.Late),
            ("at", answer.AnsweredAt.ToUnixTimeMilliseconds()),
            ("el", answer.ElapsedMs)).ConfigureAwait(false);
        return stored == 1;
    }

    public async Task<bool> FinishAttemptAsync(string attemptId, AttemptStatus status, DateTimeOffset finishedAt, long durationMs, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecAsync(conn, null, "UPDATE quiz_attempts SET status = @s, finished_at = @f, duration_ms = @d WHERE id = @id AND status = 'active'", cancellationToken,
            ("s", StatusText(status)), ("f", finishedAt.ToUnixTimeMilliseconds()), ("d", durationMs), ("id", attemptId)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> SetPredictionAsync(string attemptId, long prediction, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecAsync(conn, null, "UPDATE quiz_attempts SET prediction = @p WHERE id = @id AND prediction IS NULL AND status <> 'active'", cancellationToken,
            ("p", prediction), ("id", attemptId)).ConfigureAwait(false) == 1;
    }

    public async Task<int> ExpireOverdueAsync(string? contestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecAsync(conn, null, """
            UPDATE quiz_attempts SET status = 'expired', finished_at = deadline_at, duration_ms = deadline_at - started_at
            WHERE status = 'active' AND deadline_at <= @now AND (@c::text IS NULL OR contest_id = @c)
            """, cancellationToken, ("now", now.ToUnixTimeMilliseconds()), ("c", contestId)).ConfigureAwait(false);
    }

    public async Task UpdateParticipantAsync(string contestId, long userId, string fullName, string unit, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(conn, null, "UPDATE quiz_attempts SET full_name = @n, unit = @unit WHERE contest_id = @c AND user_id = @u", cancellationToken,
            ("n", fullName), ("unit", unit), ("c", contestId), ("u", userId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QuizAttempt>> GetAttemptsAsync(string contestId, long? userId, CancellationToken cancellationToken) => userId is { } u
        ? await ReadAttemptsAsync($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = @c AND user_id = @u ORDER BY started_at, id COLLATE \"C\"", cancellationToken,
            ("c", contestId), ("u", u)).ConfigureAwait(false)
        : await ReadAttemptsAsync($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = @c ORDER BY started_at, id COLLATE \"C\"", cancellationToken,
            ("c", contestId)).ConfigureAwait(false);

    public async Task<IReadOnlyList<QuizAnswer>> GetAnswersAsync(string attemptId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            "SELECT attempt_id, idx, question_id, chosen, correct, late, answered_at, elapsed_ms FROM quiz_answers WHERE attempt_id = @a ORDER BY idx", ("a", attemptId));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<QuizAnswer>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new QuizAnswer(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5), FromMs(r.GetInt64(6)), r.GetInt64(7)));
        }

        return list;
    }

    public async Task<IReadOnlyList<Standing>> GetLeaderboardAsync(string contestId, int top, CancellationToken cancellationToken)
    {
        // Same ranking as SQLite: NULLS FIRST and the "C" collation (code point order) reproduce SQLite's ordering.
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"""
            WITH n AS (SELECT COUNT(DISTINCT user_id) AS n FROM quiz_attempts WHERE contest_id = @c AND {Closed}),
            scored AS (
                SELECT a.*, COALESCE(abs(a.prediction - n.n), {NoPrediction}) AS pdiff FROM quiz_attempts a, n
                WHERE a.contest_id = @c AND a.{Closed}),
            best AS (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY correct DESC, duration_ms NULLS FIRST, pdiff, started_at) AS rn FROM scored),
            ranked AS (
                SELECT *, RANK() OVER (ORDER BY correct DESC, duration_ms NULLS FIRST, pdiff) AS rk FROM best WHERE rn = 1)
            SELECT rk, user_id, full_name, unit, correct, question_count, duration_ms, prediction, id FROM ranked
            ORDER BY rk, full_name COLLATE "C", user_id LIMIT @top
            """, ("c", contestId), ("top", top));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Standing>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Standing(r, (int)r.GetInt64(0)));
        }

        return list;
    }

    public async Task<Standing?> GetStandingAsync(string contestId, long userId, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await ScalarAsync(conn, null, $"SELECT COUNT(DISTINCT user_id) FROM quiz_attempts WHERE contest_id = @c AND {Closed}", cancellationToken, ("c", contestId)).ConfigureAwait(false);
        Standing mine;
        long myDiff;
        await using (var best = Command(conn, null, $"""
            SELECT 0, user_id, full_name, unit, correct, question_count, duration_ms, prediction, id, COALESCE(abs(prediction - @n), {NoPrediction}) AS pdiff
            FROM quiz_attempts WHERE contest_id = @c AND user_id = @u AND {Closed}
            ORDER BY correct DESC, duration_ms NULLS FIRST, pdiff, started_at LIMIT 1
            """, ("c", contestId), ("u", userId), ("n", n)))
        await using (var r = await best.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            mine = Standing(r, 0);
            myDiff = r.GetInt64(9);
        }

        var better = await ScalarAsync(conn, null, $"""
            SELECT COUNT(DISTINCT user_id) FROM (
                SELECT user_id FROM quiz_attempts WHERE contest_id = @c AND {Closed} AND correct > @k
                UNION ALL
                SELECT user_id FROM quiz_attempts WHERE contest_id = @c AND {Closed} AND correct = @k AND duration_ms < @d
                UNION ALL
                SELECT user_id FROM quiz_attempts WHERE contest_id = @c AND {Closed} AND correct = @k AND duration_ms = @d
                    AND COALESCE(abs(prediction - @n), {NoPrediction}) < @p) AS ahead
            WHERE user_id <> @u
            """, cancellationToken, ("c", contestId), ("u", userId), ("k", mine.Correct), ("d", mine.DurationMs), ("n", n), ("p", myDiff)).ConfigureAwait(false);
        return mine with { Rank = (int)better + 1 };
    }

    private async Task<List<QuizAttempt>> ReadAttemptsAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<QuizAttempt>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Attempt(r));
        }

        return list;
    }
    

}
