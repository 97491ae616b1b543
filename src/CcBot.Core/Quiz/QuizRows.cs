using System.Data.Common;

namespace CcBot.Core.Quiz;

/// <summary>The quiz tables' row shapes, read the same way by the SQLite and PostgreSQL stores (times are Unix milliseconds on both).</summary>
internal static class QuizRows
{
    public const string AttemptColumns = "id, contest_id, user_id, full_name, unit, questions, started_at, deadline_at, question_seconds, current_index, current_shown_at, correct, status, finished_at, duration_ms, prediction";

    /// <summary>Distance used for a missing prediction: after every real one.</summary>
    public const long NoPrediction = 1_000_000_000_000;

    /// <summary>An attempt from a row of <see cref="AttemptColumns"/>.</summary>
    public static QuizAttempt Attempt(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        ContestId = r.GetString(1),
        UserId = r.GetInt64(2),
        FullName = r.GetString(3),
        Unit = r.GetString(4),
        Questions = DrawnQuestion.DecodeAll(r.GetString(5)),
        StartedAt = FromMs(r.GetInt64(6)),
        DeadlineAt = FromMs(r.GetInt64(7)),
        QuestionSeconds = r.IsDBNull(8) ? null : r.GetInt32(8),
        CurrentIndex = r.GetInt32(9),
        CurrentShownAt = FromMs(r.GetInt64(10)),
        CorrectCount = r.GetInt32(11),
        Status = ParseStatus(r.GetString(12)),
        FinishedAt = r.IsDBNull(13) ? null : FromMs(r.GetInt64(13)),
        DurationMs = r.IsDBNull(14) ? null : r.GetInt64(14),
        Prediction = r.IsDBNull(15) ? null : r.GetInt64(15),
    };

    public static Standing Standing(DbDataReader r, int rank) => new(
        rank, r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.IsDBNull(6) ? 0 : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetString(8));

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string StatusText(AttemptStatus s) => s switch
    {
        AttemptStatus.Active => "active",
        AttemptStatus.Finished => "finished",
        _ => "expired",
    };

    public static AttemptStatus ParseStatus(string s) => s switch
    {
        "active" => AttemptStatus.Active,
        "finished" => AttemptStatus.Finished,
        _ => AttemptStatus.Expired,
    };
}
