using System.Globalization;
using System.Text.Json;
using CcBot.Core.Storage;
using Microsoft.Data.Sqlite;
using static CcBot.Core.Quiz.QuizRows;

namespace CcBot.Core.Quiz;

/// <summary>The quiz store on the embedded SQLite database (writes go through its group-commit writer).</summary>
public sealed class SqliteQuizStore(SqliteDatabase db) : IQuizStore
{
    public Task<int> ReplaceBankAsync(string contestId, IReadOnlyList<QuizQuestion> questions, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var retire = db.Prepared(conn, tx, "UPDATE quiz_questions SET active = 0 WHERE contest_id = $c AND active = 1");
            retire.Parameters.AddWithValue("$c", contestId);
            retire.ExecuteNonQuery();
            foreach (var q in questions)
            {
                var insert = db.Prepared(conn, tx, "INSERT INTO quiz_questions(contest_id, text, options, correct, explanation, topic, source, active, imported_at) VALUES ($c, $t, $o, $k, $e, $p, $s, 1, $at)");
                insert.Parameters.AddWithValue("$c", contestId);
                insert.Parameters.AddWithValue("$t", q.Text);
                insert.Parameters.AddWithValue("$o", JsonSerializer.Serialize(q.Options));
                insert.Parameters.AddWithValue("$k", string.Join(',', q.Correct));
                insert.Parameters.AddWithValue("$e", (object?)q.Explanation ?? DBNull.Value);
                insert.Parameters.AddWithValue("$p", (object?)q.Topic ?? DBNull.Value);
                insert.Parameters.AddWithValue("$s", q.Source);
                insert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
                insert.ExecuteNonQuery();
            }

            return questions.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<QuizQuestion>> GetQuestionsAsync(string contestId, bool activeOnly, CancellationToken cancellationToken)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id, contest_id, text, options, correct, explanation, topic, source FROM quiz_questions WHERE contest_id = $c" + (activeOnly ? " AND active = 1" : string.Empty) + " ORDER BY id";
        cmd.Parameters.AddWithValue("$c", contestId);
        using var r = cmd.ExecuteReader();
        var list = new List<QuizQuestion>();
        while (r.Read())
        {
            list.Add(new QuizQuestion(
                r.GetInt64(0), r.GetString(1), r.GetString(2),
                JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? [],
                r.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)));
        }

        return Task.FromResult<IReadOnlyList<QuizQuestion>>(list);
    }

    public Task<StartOutcome> StartAttemptAsync(QuizAttempt attempt, int attemptLimit, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var count = db.Prepared(conn, tx, "SELECT COUNT(*) FROM quiz_attempts WHERE contest_id = $c AND user_id = $u");
            count.Parameters.AddWithValue("$c", attempt.ContestId);
            count.Parameters.AddWithValue("$u", attempt.UserId);
            if ((long)count.ExecuteScalar()! >= attemptLimit)
            {
                return StartOutcome.LimitReached;
            }

            var insert = db.Prepared(conn, tx, """
                INSERT INTO quiz_attempts(id, contest_id, user_id, full_name, unit, questions, question_count, started_at, deadline_at, question_seconds, current_index, current_shown_at, correct, status)
                VALUES ($id, $c, $u, $n, $unit, $q, $qc, $s, $d, $qs, 0, $s, 0, 'active')
                """);
            insert.Parameters.AddWithValue("$id", attempt.Id);
            insert.Parameters.AddWithValue("$c", attempt.ContestId);
            insert.Parameters.AddWithValue("$u", attempt.UserId);
            insert.Parameters.AddWithValue("$n", attempt.FullName);
            insert.Parameters.AddWithValue("$unit", attempt.Unit);
            insert.Parameters.AddWithValue("$q", DrawnQuestion.EncodeAll(attempt.Questions));
            insert.Parameters.AddWithValue("$qc", attempt.Questions.Count);
            insert.Parameters.AddWithValue("$s", attempt.StartedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$d", attempt.DeadlineAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$qs", (object?)attempt.QuestionSeconds ?? DBNull.Value);
            insert.ExecuteNonQuery();
            return StartOutcome.Started;
        }, cancellationToken);

    public Task<int> CountAttemptsAsync(string contestId, long userId, CancellationToken cancellationToken) =>
        Task.FromResult((int)Scalar("SELECT COUNT(*) FROM quiz_attempts WHERE contest_id = $c AND user_id = $u", ("$c", contestId), ("$u", userId)));

    public Task<QuizAttempt?> GetActiveAttemptAsync(string contestId, long userId, CancellationToken cancellationToken) =>
        Task.FromResult(ReadAttempts($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = $c AND user_id = $u AND status = 'active' ORDER BY started_at DESC LIMIT 1", ("$c", contestId), ("$u", userId)).FirstOrDefault());

    public Task<QuizAttempt?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken) =>
        Task.FromResult(ReadAttempts($"SELECT {AttemptColumns} FROM quiz_attempts WHERE id = $id", ("$id", attemptId)).FirstOrDefault());

    public Task<bool> RecordAnswerAsync(QuizAnswer answer, int nextIndex, DateTimeOffset nextShownAt, long? finishDurationMs, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var move = db.Prepared(conn, tx, """
                UPDATE quiz_attempts SET current_index = $next, current_shown_at = $shown, correct = correct + $ok,
                    status = CASE WHEN $dur IS NULL THEN status ELSE 'finished' END,
                    finished_at = CASE WHEN $dur IS NULL THEN finished_at ELSE $shown END,
                    duration_ms = COALESCE($dur, duration_ms)
                WHERE id = $id AND status = 'active' AND current_index = $idx
                """);
            move.Parameters.AddWithValue("$dur", (object?)finishDurationMs ?? DBNull.Value);
            move.Parameters.AddWithValue("$next", nextIndex);
            move.Parameters.AddWithValue("$shown", nextShownAt.ToUnixTimeMilliseconds());
            move.Parameters.AddWithValue("$ok", answer.Correct ? 1 : 0);
            move.Parameters.AddWithValue("$id", answer.AttemptId);
            move.Parameters.AddWithValue("$idx", answer.Index);
            if (move.ExecuteNonQuery() == 0)
            {
                return false;
            }

            var insert = db.Prepared(conn, tx, "INSERT INTO quiz_answers(attempt_id, idx, question_id, chosen, correct, late, answered_at, elapsed_ms) VALUES ($a, $i, $q, $ch, $ok, $late, $at, $el)");
            insert.Parameters.AddWithValue("$a", answer.AttemptId);
            insert.Parameters.AddWithValue("$i", answer.Index);
            insert.Parameters.AddWithValue("$q", answer.QuestionId);
            insert.Parameters.AddWithValue("$ch", answer.Chosen);
            insert.Parameters.AddWithValue("$ok", answer.Correct ? 1 : 0);
            insert.Parameters.AddWithValue("$late", answer.Late ? 1 : 0);
            insert.Parameters.AddWithValue("$at", answer.AnsweredAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$el", answer.ElapsedMs);
            insert.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public Task<bool> FinishAttemptAsync(string attemptId, AttemptStatus status, DateTimeOffset finishedAt, long durationMs, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE quiz_attempts SET status = $s, finished_at = $f, duration_ms = $d WHERE id = $id AND status = 'active'");
            cmd.Parameters.AddWithValue("$s", StatusText(status));
            cmd.Parameters.AddWithValue("$f", finishedAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$d", durationMs);
            cmd.Parameters.AddWithValue("$id", attemptId);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<bool> SetPredictionAsync(string attemptId, long prediction, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE quiz_attempts SET prediction = $p WHERE id = $id AND prediction IS NULL AND status <> 'active'");
            cmd.Parameters.AddWithValue("$p", prediction);
            cmd.Parameters.AddWithValue("$id", attemptId);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<int> ExpireOverdueAsync(string? contestId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, """
                UPDATE quiz_attempts SET status = 'expired', finished_at = deadline_at, duration_ms = deadline_at - started_at
                WHERE status = 'active' AND deadline_at <= $now AND ($c IS NULL OR contest_id = $c)
                """);
            cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$c", (object?)contestId ?? DBNull.Value);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task UpdateParticipantAsync(string contestId, long userId, string fullName, string unit, CancellationToken cancellationToken) =>
        db.WriteAsync((conn, tx) =>
        {
            var cmd = db.Prepared(conn, tx, "UPDATE quiz_attempts SET full_name = $n, unit = $unit WHERE contest_id = $c AND user_id = $u");
            cmd.Parameters.AddWithValue("$n", fullName);
            cmd.Parameters.AddWithValue("$unit", unit);
            cmd.Parameters.AddWithValue("$c", contestId);
            cmd.Parameters.AddWithValue("$u", userId);
            cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<QuizAttempt>> GetAttemptsAsync(string contestId, long? userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<QuizAttempt>>(userId is { } u
            ? ReadAttempts($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = $c AND user_id = $u ORDER BY started_at, id", ("$c", contestId), ("$u", u))
            : ReadAttempts($"SELECT {AttemptColumns} FROM quiz_attempts WHERE contest_id = $c ORDER BY started_at, id", ("$c", contestId)));

    public Task<IReadOnlyList<QuizAnswer>> GetAnswersAsync(string attemptId, CancellationToken cancellationToken)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT attempt_id, idx, question_id, chosen, correct, late, answered_at, elapsed_ms FROM quiz_answers WHERE attempt_id = $a ORDER BY idx";
        cmd.Parameters.AddWithValue("$a", attemptId);
        using var r = cmd.ExecuteReader();
        var list = new List<QuizAnswer>();
        while (r.Read())
        {
            list.Add(new QuizAnswer(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4) == 1, r.GetInt64(5) == 1, FromMs(r.GetInt64(6)), r.GetInt64(7)));
        }

        return Task.FromResult<IReadOnlyList<QuizAnswer>>(list);
    }

    public Task<IReadOnlyList<Standing>> GetLeaderboardAsync(string contestId, int top, CancellationToken cancellationToken)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""
            WITH n AS (SELECT COUNT(DISTINCT user_id) AS n FROM quiz_attempts WHERE contest_id = $c AND status IN ('finished', 'expired')),
            scored AS (
                SELECT a.*, COALESCE(abs(a.prediction - n.n), {NoPrediction}) AS pdiff FROM quiz_attempts a, n
                WHERE a.contest_id = $c AND a.status IN ('finished', 'expired')),
            best AS (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY correct DESC, duration_ms, pdiff, started_at) AS rn FROM scored),
            ranked AS (
                SELECT *, RANK() OVER (ORDER BY correct DESC, duration_ms, pdiff) AS rk FROM best WHERE rn = 1)
            SELECT rk, user_id, full_name, unit, correct, question_count, duration_ms, prediction, id FROM ranked ORDER BY rk, full_name, user_id LIMIT $top
            """;
        cmd.Parameters.AddWithValue("$c", contestId);
        cmd.Parameters.AddWithValue("$top", top);
        using var r = cmd.ExecuteReader();
        var list = new List<Standing>();
        while (r.Read())
        {
            list.Add(Standing(r, r.GetInt32(0)));
        }

        return Task.FromResult<IReadOnlyList<Standing>>(list);
    }

    public Task<Standing?> GetStandingAsync(string contestId, long userId, CancellationToken cancellationToken)
    {
        using var conn = db.OpenConnection();
        var n = Scalar(conn, "SELECT COUNT(DISTINCT user_id) FROM quiz_attempts WHERE contest_id = $c AND status IN ('finished', 'expired')", ("$c", contestId));
        using var best = conn.CreateCommand();
        best.CommandText = $"""
            SELECT 0, user_id, full_name, unit, correct, question_count, duration_ms, prediction, id, COALESCE(abs(prediction - $n), {NoPrediction}) AS pdiff
            FROM quiz_attempts WHERE contest_id = $c AND user_id = $u AND status IN ('finished', 'expired')
            ORDER BY correct DESC, duration_ms, pdiff, started_at LIMIT 1
            """;
        best.Parameters.AddWithValue("$c", contestId);
        best.Parameters.AddWithValue("$u", userId);
        best.Parameters.AddWithValue("$n", n);
        Standing mine;
        long myDiff;
        using (var r = best.ExecuteReader())
        {
            if (!r.Read())
            {
                return Task.FromResult<Standing?>(null);
            }

            mine = Standing(r, 0);
            myDiff = r.GetInt64(9);
        }

        // Three range scans of the covering rank index (an OR of them would read the table row by row).
        var better = Scalar(conn, $"""
            SELECT COUNT(DISTINCT user_id) FROM (
                SELECT user_id FROM quiz_attempts WHERE contest_id = $c AND status IN ('finished', 'expired') AND correct > $k
                UNION ALL
                SELECT user_id FROM quiz_attempts WHERE contest_id = $c AND status IN ('finished', 'expired') AND correct = $k AND duration_ms < $d
                UNION ALL
                SELECT user_id FROM quiz_attempts WHERE contest_id = $c AND status IN ('finished', 'expired') AND correct = $k AND duration_ms = $d
                    AND COALESCE(abs(prediction - $n), {NoPrediction}) < $p)
            WHERE user_id <> $u
            """, ("$c", contestId), ("$u", userId), ("$k", mine.Correct), ("$d", mine.DurationMs), ("$n", n), ("$p", myDiff));
        return Task.FromResult<Standing?>(mine with { Rank = (int)better + 1 });
    }

    private List<QuizAttempt> ReadAttempts(string sql, params (string Name, object Value)[] args)
    {
        using var conn = db.OpenConnection();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        using var r = cmd.ExecuteReader();
        var list = new List<QuizAttempt>();
        while (r.Read())
        {
            list.Add(Attempt(r));
        }

        return list;
    }

    private long Scalar(string sql, params (string Name, object Value)[] args)
    {
        using var conn = db.OpenConnection();
        return Scalar(conn, sql, args);
    }

    private static long Scalar(SqliteConnection conn, string sql, params (string Name, object Value)[] args)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
