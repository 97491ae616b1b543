using CcBot.Core.Storage;

namespace CcBot.Core.Reminders;

/// <summary>
/// Tables of the reminders slice: Quartz.NET's ADO job store (the SQLite schema Quartz 4.7.3 itself provisions, kept in
/// <c>QuartzSchema.sqlite.sql</c>; the older <c>database/tables/tables_sqlite.sql</c> of the Quartz repository lacks tables 4.7 validates),
/// reminder subscriptions and the fingerprint of each contest's scheduled milestones; broadcasts and the proactive outbox.
/// </summary>
public sealed class ReminderMigrations : IMigrationSource
{
    private static string QuartzSchema()
    {
        using var stream = typeof(ReminderMigrations).Assembly.GetManifestResourceStream("CcBot.Core.Reminders.QuartzSchema.sqlite.sql")
            ?? throw new InvalidOperationException("The embedded Quartz schema is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public IEnumerable<Migration> Migrations =>
    [
        new("0190_quartz", QuartzSchema()),
        new("0200_reminders", """
            CREATE TABLE reminder_subscriptions(
                contest_id TEXT NOT NULL,
                conversation_key TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY(contest_id, conversation_key));
            CREATE INDEX ix_reminder_subscriptions_conversation ON reminder_subscriptions(conversation_key);
            CREATE TABLE reminder_schedules(
                contest_id TEXT PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                scheduled_at TEXT NOT NULL);
            """),
        new("0210_broadcasts", """
            CREATE TABLE broadcasts(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL,
                message TEXT NOT NULL,
                audience TEXT NOT NULL,
                audience_value TEXT,
                send_at TEXT NOT NULL,
                status TEXT NOT NULL,
                created_by TEXT,
                created_at TEXT NOT NULL,
                cancelled_at TEXT);
            CREATE TABLE outbox(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dedupe_key TEXT NOT NULL UNIQUE,
                source TEXT NOT NULL,
                source_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                conversation_key TEXT NOT NULL,
                reference TEXT NOT NULL,
                message TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                not_before TEXT NOT NULL,
                expires_at TEXT,
                claimed_by TEXT,
                claimed_until TEXT,
                created_at TEXT NOT NULL,
                sent_at TEXT,
                channel_message_id TEXT,
                error TEXT);
            CREATE INDEX ix_outbox_due ON outbox(status, not_before, id);
            CREATE INDEX ix_outbox_source ON outbox(source, source_id, status);
            """),
        new("0215_outbox_rate", OutboxRateSql),
    ];

    /// <summary>
    /// The send-rate reservations several instances share on PostgreSQL (<c>PostgresRateLimiter</c>): per channel, the earliest
    /// instant the next message may go. The same portable DDL on both providers; on SQLite (one instance) it stays empty.
    /// </summary>
    internal const string OutboxRateSql = """
        CREATE TABLE outbox_rate(
            channel TEXT PRIMARY KEY,
            next_at BIGINT NOT NULL);
        """;
}
