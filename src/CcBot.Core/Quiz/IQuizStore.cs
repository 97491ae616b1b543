namespace CcBot.Core.Quiz;

public enum StartOutcome
{
    Started,
    LimitReached,
}

/// <summary>
/// Storage of the quiz slice: question banks, attempts, answers, standings. <see cref="SqliteQuizStore"/> (embedded) and
/// <see cref="PostgresQuizStore"/> (shared by several instances) keep the same guarantees, checked by the contract tests.
/// </summary>
public interface IQuizStore
{
    /// <summary>Retires the contest's current bank and stores <paramref name="questions"/> as the new one, in one transaction.</summary>
    Task<int> ReplaceBankAsync(string contestId, IReadOnlyList<QuizQuestion> questions, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The contest's questions; retired ones too when <paramref name="activeOnly"/> is false (old attempts still refer to them).</summary>
    Task<IReadOnlyList<QuizQuestion>> GetQuestionsAsync(string contestId, bool activeOnly, CancellationToken cancellationToken);

    /// <summary>Stores a new attempt unless the participant already has <paramref name="attemptLimit"/> attempts (checked in the same write).</summary>
    Task<StartOutcome> StartAttemptAsync(QuizAttempt attempt, int attemptLimit, CancellationToken cancellationToken);

    Task<int> CountAttemptsAsync(string contestId, long userId, CancellationToken cancellationToken);

    Task<QuizAttempt?> GetActiveAttemptAsync(string contestId, long userId, CancellationToken cancellationToken);

    Task<QuizAttempt?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the answer to question <see cref="QuizAnswer.Index"/> and moves the attempt to <paramref name="nextIndex"/>, only if that
    /// question is still the current one of an active attempt. False when it was already answered (double tap, replay).
    /// With <paramref name="finishDurationMs"/> (the last question) the attempt is closed as finished in the same write.
    /// </summary>
    Task<bool> RecordAnswerAsync(QuizAnswer answer, int nextIndex, DateTimeOffset nextShownAt, long? finishDurationMs, CancellationToken cancellationToken);

    /// <summary>Closes an active attempt; false when it was already closed.</summary>
    Task<bool> FinishAttemptAsync(string attemptId, AttemptStatus status, DateTimeOffset finishedAt, long durationMs, CancellationToken cancellationToken);

    /// <summary>Stores the prediction once; false when one was already stored.</summary>
    Task<bool> SetPredictionAsync(string attemptId, long prediction, CancellationToken cancellationToken);

    /// <summary>Closes active attempts whose deadline has passed (abandoned attempts), scored with the answers they have.</summary>
    Task<int> ExpireOverdueAsync(string? contestId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Copies a corrected name and unit onto the participant's attempts in a contest (reports use the attempt's copy).</summary>
    Task UpdateParticipantAsync(string contestId, long userId, string fullName, string unit, CancellationToken cancellationToken);

    /// <summary>The contest's attempts, or one participant's when <paramref name="userId"/> is given, oldest first.</summary>
    Task<IReadOnlyList<QuizAttempt>> GetAttemptsAsync(string contestId, long? userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<QuizAnswer>> GetAnswersAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>Top <paramref name="top"/> participants by their best closed attempt: most correct, least time, closest prediction.</summary>
    Task<IReadOnlyList<Standing>> GetLeaderboardAsync(string contestId, int top, CancellationToken cancellationToken);

    /// <summary>The participant's own place, or null without a closed attempt.</summary>
    Task<Standing?> GetStandingAsync(string contestId, long userId, CancellationToken cancellationToken);
}
