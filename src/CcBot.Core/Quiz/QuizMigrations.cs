using CcBot.Core.Storage;

namespace CcBot.Core.Quiz;

/// <summary>Tables of the quiz slice. Instants are stored as Unix milliseconds (UTC) so comparisons and durations are exact.</summary>
public sealed class QuizMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0100_quiz", """
            CREATE TABLE quiz_questions(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                contest_id TEXT NOT NULL,
                text TEXT NOT NULL,
                options TEXT NOT NULL,
                correct TEXT NOT NULL,
                explanation TEXT,
                topic TEXT,
                source TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                imported_at INTEGER NOT NULL);
            CREATE INDEX ix_quiz_questions_contest ON quiz_questions(contest_id, active);
            CREATE TABLE quiz_attempts(
                id TEXT PRIMARY KEY,
                contest_id TEXT NOT NULL,
                user_id INTEGER NOT NULL,
                full_name TEXT NOT NULL,
                unit TEXT NOT NULL,
                questions TEXT NOT NULL,
                question_count INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                deadline_at INTEGER NOT NULL,
                question_seconds INTEGER,
                current_index INTEGER NOT NULL DEFAULT 0,
                current_shown_at INTEGER NOT NULL,
                correct INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL DEFAULT 'active',
                finished_at INTEGER,
                duration_ms INTEGER,
                prediction INTEGER);
            CREATE INDEX ix_quiz_attempts_user ON quiz_attempts(contest_id, user_id, status);
            CREATE INDEX ix_quiz_attempts_rank ON quiz_attempts(contest_id, status, correct, duration_ms, user_id, prediction);
            CREATE INDEX ix_quiz_attempts_active ON quiz_attempts(status, deadline_at) WHERE status = 'active';
            CREATE TABLE quiz_answers(
                attempt_id TEXT NOT NULL,
                idx INTEGER NOT NULL,
                question_id INTEGER NOT NULL,
                chosen TEXT NOT NULL,
                correct INTEGER NOT NULL,
                late INTEGER NOT NULL,
                answered_at INTEGER NOT NULL,
                elapsed_ms INTEGER NOT NULL,
                PRIMARY KEY(attempt_id, idx)) WITHOUT ROWID;
            """),
    ];
}
