namespace CcBot.Core.Quiz;

/// <summary>One multiple-choice question of a contest's bank. <see cref="Correct"/> holds 0-based option indexes.</summary>
public sealed record QuizQuestion(
    long Id,
    string ContestId,
    string Text,
    IReadOnlyList<string> Options,
    IReadOnlyList<int> Correct,
    string? Explanation,
    string? Topic,
    string Source)
{
    public bool IsCorrect(IReadOnlyCollection<int> chosen) => chosen.Count == Correct.Count && Correct.All(chosen.Contains);
}

/// <summary>A question as drawn for one attempt: the question id and the order its options are shown in.</summary>
public sealed record DrawnQuestion(long QuestionId, IReadOnlyList<int> Order)
{
    /// <summary>"12:2031" (question 12, shown options are original 2,0,3,1).</summary>
    public string Encode() => QuestionId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + string.Concat(Order.Select(o => (char)('0' + o)));

    public static DrawnQuestion Decode(string text)
    {
        var i = text.IndexOf(':', StringComparison.Ordinal);
        return new DrawnQuestion(long.Parse(text.AsSpan(0, i), System.Globalization.CultureInfo.InvariantCulture), text[(i + 1)..].Select(c => c - '0').ToArray());
    }

    public static string EncodeAll(IEnumerable<DrawnQuestion> drawn) => string.Join(',', drawn.Select(d => d.Encode()));

    public static IReadOnlyList<DrawnQuestion> DecodeAll(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Decode).ToArray();
}

public enum AttemptStatus
{
    Active,
    Finished,
    Expired,
}

/// <summary>A contest attempt as stored. Times are UTC instants; <see cref="DeadlineAt"/> is enforced on the server.</summary>
public sealed record QuizAttempt
{
    public required string Id { get; init; }
    public required string ContestId { get; init; }
    public required long UserId { get; init; }
    public required string FullName { get; init; }
    public required string Unit { get; init; }
    public required IReadOnlyList<DrawnQuestion> Questions { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset DeadlineAt { get; init; }
    public int? QuestionSeconds { get; init; }
    public int CurrentIndex { get; init; }
    public DateTimeOffset CurrentShownAt { get; init; }
    public int CorrectCount { get; init; }
    public AttemptStatus Status { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public long? Prediction { get; init; }

    public bool IsOver => Status != AttemptStatus.Active;

    /// <summary>When the current question stops accepting answers.</summary>
    public DateTimeOffset CurrentQuestionDeadline => QuestionSeconds is { } s && CurrentShownAt.AddSeconds(s) < DeadlineAt ? CurrentShownAt.AddSeconds(s) : DeadlineAt;
}

/// <summary>One stored answer.</summary>
public sealed record QuizAnswer(string AttemptId, int Index, long QuestionId, string Chosen, bool Correct, bool Late, DateTimeOffset AnsweredAt, long ElapsedMs);

/// <summary>A participant's place on a contest leaderboard (their best attempt).</summary>
public sealed record Standing(int Rank, long UserId, string FullName, string Unit, int Correct, int Total, long DurationMs, long? Prediction, string AttemptId);
