using CcBot.Core.Storage;

namespace CcBot.Core.HelpDesk;

/// <summary>Help desk and staff console tables: ticket claim/resolve columns, staff accounts, audit log, staff FAQ entries.</summary>
public sealed class HelpDeskMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0400_helpdesk", """
            ALTER TABLE escalations ADD COLUMN claimed_by TEXT;
            ALTER TABLE escalations ADD COLUMN claimed_at TEXT;
            ALTER TABLE escalations ADD COLUMN resolved_by TEXT;
            ALTER TABLE escalations ADD COLUMN resolved_at TEXT;
            CREATE INDEX ix_escalations_conversation ON escalations(conversation_key, status);
            CREATE TABLE staff_users(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                failed_count INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL);
            CREATE TABLE audit_log(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                staff_user TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT,
                detail TEXT);
            CREATE INDEX ix_audit_at ON audit_log(at);
            CREATE TABLE staff_faq(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                question TEXT NOT NULL,
                answer TEXT NOT NULL,
                intent TEXT,
                contest_id TEXT,
                escalation_id INTEGER,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """),
        new("0401_helpdesk_examples", """
            CREATE TABLE staff_examples(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL,
                intent TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """),
    ];
}
